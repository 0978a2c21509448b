package atlas

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkReadPages is the reader's own cost on an unchanged list of
// 10,000 items (20 full pages and the empty one that ends the list), with
// pages answered from memory: the goroutines, the bookkeeping and the merge
// by id, without HTTP.
func BenchmarkReadPages(b *testing.B) {
	const n = 10000
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf("%024x", i)
	}
	count := n
	l := list[string]{what: "users", id: func(s *string) string { return *s },
		fetch: func(_ context.Context, num int) (page[string], error) {
			start := min((num-1)*PageSize, n)
			return page[string]{items: items[start:min(start+PageSize, n)], count: &count}, nil
		}}
	for b.Loop() {
		r, tooLong, err := readPages(context.Background(), l)
		if err != nil || tooLong || r.change != "" || len(r.items) != n || r.pages != 21 {
			b.Fatalf("%d items in %d pages, change %q, tooLong %v, err %v", len(r.items), r.pages, r.change, tooLong, err)
		}
	}
}
