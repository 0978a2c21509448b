package atlas

import (
	"context"
	"net/http"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// How every paginated list of Atlas is read. Atlas documents totalCount as
// an estimate ("may not be exact"): it only decides how many pages to ask
// for at once. A list ends at the first page that is not full; a change
// during the read shows in Atlas's own signals (an item listed twice, a page
// past the end that is not empty, or the count at the end of the read
// differing from page 1's), and the list is then read once more.

const (
	// PageSize is the largest page Atlas serves (itemsPerPage).
	PageSize = 500
	// pageReaders bounds the pages read at once: inside the connection cap
	// (maxConns), one connection left for the other reads of the plan. 20
	// pages at 50 ms then take four rounds (page 1, then 9+9+3), 0.2 s of
	// latency; 4 readers took six.
	pageReaders = 9
	// pagesAhead bounds how far past the pages known to be full a read asks,
	// whatever the count promises: an absurd count must not turn into
	// thousands of requests.
	pagesAhead = 18
	// MaxPages bounds one read (200,000 items, far beyond the largest
	// organizations): the 64 MiB limit is per answer, not per read.
	MaxPages = 400
)

// page is one answer of a list: its items and Atlas's estimate of their
// number, nil when missing or below zero.
type page[T any] struct {
	items []T
	count *int
}

// list is one paginated list: where it is, how to read one of its pages,
// and how to tell its items apart.
type list[T any] struct {
	path   string // for errors and logs
	what   string // "users", for errors and logs
	access access
	fetch  func(ctx context.Context, pageNum int) (page[T], error)
	id     func(*T) string
}

// listRead is one pass over the pages.
type listRead[T any] struct {
	items                 []T
	pages                 int  // pages asked for
	firstCount, lastCount *int // page 1's count and the count of the page that ended the list
	change                string
}

// readList reads every page of l, each item once; a list that changes on
// two reads in a row fails with KindListChanged, one past MaxPages full
// pages with KindListTooLong.
func readList[T any](ctx context.Context, c *Client, l list[T]) ([]T, error) {
	var r listRead[T]
	for attempt := 1; attempt <= 2; attempt++ {
		var tooLong bool
		var err error
		r, tooLong, err = readPages(ctx, l)
		if err != nil {
			return nil, err
		}
		if tooLong {
			return nil, listError(c, KindListTooLong, l, r)
		}
		if r.change == "" {
			return r.items, nil
		}
		tflog.SubsystemWarn(c.LogContext(ctx), LogSubsystem, "Atlas list changed during the read", map[string]any{
			"path": l.path, "list": l.what, "change": r.change, "pages": r.pages, "attempt": attempt,
		})
	}
	return nil, listError(c, KindListChanged, l, r)
}

// listError is a read that failed as a whole, not one request of it.
func listError[T any](c *Client, kind ErrorKind, l list[T], r listRead[T]) *Error {
	return &Error{Kind: kind, Method: http.MethodGet, Path: l.path, URL: c.cfg.BaseURL + l.path,
		Role: l.access.role, Reads: l.access.reads, Setup: c.cfg.setup(),
		List: &ListFacts{What: l.what, Pages: r.pages, Items: len(r.items), FirstCount: r.firstCount, LastCount: r.lastCount,
			Change: r.change, MaxPages: MaxPages, PageSize: PageSize}}
}

// pageResult is one page's answer, or its failure.
type pageResult[T any] struct {
	num int
	page[T]
	err error
}

// readPages reads page 1, then the next pages a few at a time while the
// pages known so far are full, and merges them by id in page order.
// tooLong says the list went past MaxPages full pages.
func readPages[T any](ctx context.Context, l list[T]) (r listRead[T], tooLong bool, err error) {
	first, err := l.fetch(ctx, 1)
	if err != nil {
		return r, false, err
	}
	r = listRead[T]{pages: 1, firstCount: first.count, lastCount: first.count}
	if len(first.items) < PageSize {
		r.items = mergeByID(map[int][]T{1: first.items}, 1, l, &r.change)
		return r, false, nil
	}
	// The last page the count promises: the one after the last full page
	// (empty when the count is a multiple of the page size).
	promised := 1
	if first.count != nil {
		promised = min(*first.count/PageSize+1, MaxPages)
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan pageResult[T])
	pages := map[int][]T{1: first.items}
	counts := map[int]*int{}
	next, inFlight := 2, 0
	end := MaxPages + 1 // the first page that is not full, once seen
	full := 1           // pages 1..full are read and full
	var failed error
	for {
		for failed == nil && inFlight < pageReaders && next < end && next <= MaxPages &&
			(next == full+1 || next <= min(promised, full+pagesAhead)) {
			go func(num int) {
				p, err := l.fetch(ctx, num)
				results <- pageResult[T]{num: num, page: p, err: err}
			}(next)
			next++
			inFlight++
		}
		if inFlight == 0 {
			break
		}
		p := <-results
		inFlight--
		r.pages++
		if p.err != nil {
			if failed == nil {
				failed = p.err
				cancel() // the pages still in flight end at once
			}
			continue
		}
		pages[p.num], counts[p.num] = p.items, p.count
		if len(p.items) < PageSize {
			end = min(end, p.num)
		}
		for len(pages[full+1]) >= PageSize {
			full++
		}
	}
	if failed != nil {
		return r, false, failed
	}
	if full >= MaxPages {
		// Merged only for the error's facts: how many distinct items it saw.
		r.items = mergeByID(pages, full, l, &r.change)
		return r, true, nil
	}
	r.lastCount = counts[end]
	r.items = mergeByID(pages, end, l, &r.change)
	switch {
	case r.change != "":
	case len(pages) > end && !emptyPast(pages, end):
		r.change = "a page past the end of the list held " + l.what
	case r.firstCount != nil && r.lastCount != nil && *r.firstCount != *r.lastCount:
		r.change = "Atlas's count changed between the first and the last page"
	}
	return r, false, nil
}

// emptyPast says whether every page read after end is empty, as it is when
// the list did not grow during the read.
func emptyPast[T any](pages map[int][]T, end int) bool {
	for n, p := range pages {
		if n > end && len(p) > 0 {
			return false
		}
	}
	return true
}

// mergeByID keeps the first of each id in pages 1..last, in page order. An
// item listed twice means the list moved during the read: change says so.
func mergeByID[T any](pages map[int][]T, last int, l list[T], change *string) []T {
	n := 0
	for i := 1; i <= last; i++ {
		n += len(pages[i])
	}
	out := make([]T, 0, n)
	seen := make(map[string]struct{}, n)
	for i := 1; i <= last; i++ {
		for j := range pages[i] {
			key := l.id(&pages[i][j])
			if _, dup := seen[key]; dup {
				if *change == "" {
					*change = "one of the " + l.what + " was listed twice"
				}
				continue
			}
			seen[key] = struct{}{}
			out = append(out, pages[i][j])
		}
	}
	return out
}

// countOf is a page's totalCount as the reader uses it: none when missing
// or below zero.
func countOf(n *int) *int {
	if n == nil || *n < 0 {
		return nil
	}
	return n
}
