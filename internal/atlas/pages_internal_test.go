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

// fullPage is page num of a list that never ends, every page full, with
// Atlas's count.
func fullPage(num int, count *int) page[string] {
	items := make([]string, PageSize)
	for i := range items {
		items[i] = fmt.Sprintf("p%d-%d", num, i)
	}
	return page[string]{items: items, count: count}
}

// However far the count promises, a read asks for at most 18 pages past
// those known to be full: with page 2 held back and every other page full,
// it asks for pages 2 to 19 and waits; page 2's answer lets it go 18 pages
// past page 19. Without a count it asks one page at a time.
func TestPassAsksAtMost18PagesPastTheFullOnes(t *testing.T) {
	huge := 1 << 62
	tests := []struct {
		name                        string
		count                       *int
		highestBefore, highestAfter int // the highest page asked for before and after page 2 answers
	}{
		{"a count of 2^62", &huge, 19, 37},
		{"no count", nil, 2, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPass(list[string]{what: "users", id: func(s *string) string { return *s }}, fullPage(1, tt.count))
			// askAll asks for every page the pass wants now, answering each
			// at once unless it is held.
			highest := 0
			askAll := func(held int) {
				for num := p.ask(); num != 0; num = p.ask() {
					highest = max(highest, num)
					if num != held {
						p.answer(num, fullPage(num, tt.count))
					}
				}
			}
			askAll(2)
			if highest != tt.highestBefore {
				t.Errorf("with page 2 held, pages up to %d asked for, want %d", highest, tt.highestBefore)
			}
			p.answer(2, fullPage(2, tt.count))
			askAll(highest + 1)
			if highest != tt.highestAfter {
				t.Errorf("after page 2, pages up to %d asked for, want %d", highest, tt.highestAfter)
			}
		})
	}
}
