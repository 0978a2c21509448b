package atlas

import (
	"context"
	"fmt"
	"testing"
)

// pagesOf serves sizes[i] items on page i+1, each id unique to its page,
// every page with the same count.
func pagesOf(count int, sizes ...int) list[string] {
	return list[string]{what: "users", id: func(s *string) string { return *s },
		fetch: func(_ context.Context, num int) (page[string], error) {
			var items []string
			if num <= len(sizes) {
				for i := range sizes[num-1] {
					items = append(items, fmt.Sprintf("p%d-%d", num, i))
				}
			}
			return page[string]{items: items, count: &count}, nil
		}}
}

// TestPagePastTheEndThatHoldsItems: the pages read ahead past the first
// short one must be empty; one that holds items says the list moved.
func TestPagePastTheEndThatHoldsItems(t *testing.T) {
	tests := []struct {
		name   string
		l      list[string]
		items  int
		change string
	}{
		{"the page after the end holds items", pagesOf(4*PageSize, PageSize, 10, 5), PageSize + 10,
			"a page past the end of the list held users"},
		{"the pages after the end are empty", pagesOf(4*PageSize, PageSize, 10), PageSize + 10, ""},
		{"the list ends on the last page read", pagesOf(2*PageSize, PageSize, PageSize, 7), 2*PageSize + 7, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, tooLong, err := readPages(context.Background(), tt.l)
			if err != nil || tooLong {
				t.Fatalf("err %v, tooLong %v", err, tooLong)
			}
			if len(r.items) != tt.items || r.change != tt.change {
				t.Errorf("%d items, change %q; want %d, %q", len(r.items), r.change, tt.items, tt.change)
			}
		})
	}
}

func TestEmptyPast(t *testing.T) {
	tests := []struct {
		pages map[int][]int
		end   int
		want  bool
	}{
		{map[int][]int{1: {1}, 2: {2}}, 2, true},
		{map[int][]int{1: {1}, 2: {2}, 3: {}}, 2, true},
		{map[int][]int{1: {1}, 2: {2}, 3: {3}}, 2, false},
		{map[int][]int{1: {1}, 2: {}, 4: {4}}, 2, false},
	}
	for _, tt := range tests {
		if got := emptyPast(tt.pages, tt.end); got != tt.want {
			t.Errorf("emptyPast(%v, %d) = %v, want %v", tt.pages, tt.end, got, tt.want)
		}
	}
}
