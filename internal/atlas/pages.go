package atlas

import (
	"cmp"
	"context"
	"net/http"
	"strconv"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// How every paginated list of Atlas is read (DESIGN.md, The count is a
// hint). Atlas documents totalCount as an estimate ("may not be exact"): it
// decides how many pages to ask for at once, and, since an estimate that is
// wrong is wrong the same way on every page, a page whose count differs from
// page 1's says the list changed during the read. A list ends at the first
// page that is not full. A change shows in the counts, an item listed twice,
// or a page past the end that is not empty; the list is then read once more.

const (
	// PageSize is the largest page Atlas serves (itemsPerPage). A page
	// shorter than the one asked for ends the list: Atlas does not serve
	// fewer than asked in the middle of a list (DESIGN.md, The count is a
	// hint).
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
	// pageSize is the items a full page holds; 0 means PageSize. Tests set
	// it to try every order of a few pages quickly.
	pageSize int
}

// listRead is one pass over the pages.
type listRead[T any] struct {
	items                 []T
	pages                 int  // pages answered
	firstCount, lastCount *int // page 1's count, and the first count that differed from it or else the count of the page that ended the list
	lastCountPage         int  // the page of lastCount
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
			LastCountPage: r.lastCountPage, Change: r.change, MaxPages: MaxPages, PageSize: PageSize}}
}

// pageResult is one page's answer, or its failure.
type pageResult[T any] struct {
	num int
	page[T]
	err error
}

// readPages reads page 1, then the next pages a few at a time as the pass
// asks for them, and merges them by id in page order. tooLong says the list
// went past MaxPages full pages.
func readPages[T any](ctx context.Context, l list[T]) (r listRead[T], tooLong bool, err error) {
	first, err := l.fetch(ctx, 1)
	if err != nil {
		return r, false, err
	}
	p := newPass(l, first)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan pageResult[T])
	inFlight := 0
	var failed error
	for {
		for failed == nil && inFlight < pageReaders {
			num := p.ask()
			if num == 0 {
				break
			}
			go func(num int) {
				pg, err := l.fetch(ctx, num)
				results <- pageResult[T]{num: num, page: pg, err: err}
			}(num)
			inFlight++
		}
		if inFlight == 0 {
			break
		}
		res := <-results
		inFlight--
		if res.err != nil {
			if failed == nil {
				failed = res.err
				cancel() // the pages still in flight end at once
			}
			continue
		}
		p.answer(res.num, res.page)
	}
	if failed != nil {
		return p.r, false, failed
	}
	r, tooLong = p.finish()
	return r, tooLong, nil
}

// pass is what one read of a list knows of its pages, apart from the
// requests themselves: which page to ask for next, and what the answers so
// far say. Any order of answers can be played through it.
type pass[T any] struct {
	l        list[T]
	size     int
	pages    map[int][]T
	counts   map[int]*int
	r        listRead[T]
	moved    int // the lowest page whose count differs from page 1's, 0 for none
	promised int // the last page the count promises
	next     int // the next page to ask for
	end      int // the first page that is not full, once seen
	full     int // pages 1..full are read and full
}

// newPass starts a pass with page 1's answer.
func newPass[T any](l list[T], first page[T]) *pass[T] {
	p := &pass[T]{l: l, size: cmp.Or(l.pageSize, PageSize), pages: map[int][]T{1: first.items}, counts: map[int]*int{1: first.count},
		r: listRead[T]{pages: 1, firstCount: first.count}, promised: 1, next: 2, end: MaxPages + 1, full: 1}
	if len(first.items) < p.size {
		p.end, p.full = 1, 0
	}
	// The page after the last full one the count promises (empty when the
	// count is a multiple of the page size).
	if first.count != nil {
		p.promised = min(*first.count/p.size+1, MaxPages)
	}
	return p
}

// ask is the next page to request, or 0 when none is to be asked for until
// more pages answer, or ever.
func (p *pass[T]) ask() int {
	if p.moved != 0 || p.next >= p.end || p.next > MaxPages ||
		p.next != p.full+1 && p.next > min(p.promised, p.full+pagesAhead) {
		return 0
	}
	p.next++
	return p.next - 1
}

// answer takes page num's answer. Once a count has moved, no more pages
// are asked for: the list is read again anyway.
func (p *pass[T]) answer(num int, pg page[T]) {
	p.r.pages++
	p.pages[num], p.counts[num] = pg.items, pg.count
	if countMoved(p.r.firstCount, pg.count) && (p.moved == 0 || num < p.moved) {
		// The lowest such page, whatever order they answered in.
		p.moved = num
	}
	if len(pg.items) < p.size {
		p.end = min(p.end, num)
	}
	for len(p.pages[p.full+1]) >= p.size {
		p.full++
	}
}

// finish merges the pages the pass read. tooLong says the list went past
// MaxPages full pages.
func (p *pass[T]) finish() (listRead[T], bool) {
	r := p.r
	if p.full >= MaxPages {
		// Merged only for the error's facts: how many distinct items it saw.
		r.items = mergeByID(p.pages, p.full, p.l, &r.change)
		return r, true
	}
	r.lastCount, r.lastCountPage = p.counts[p.end], p.end
	if num := p.moved; num != 0 {
		r.lastCount, r.lastCountPage = p.counts[num], num
		r.change = "Atlas's count changed from " + countText(r.firstCount) + " on page 1 to " + countText(r.lastCount) + " on page " + strconv.Itoa(num)
	}
	r.items = mergeByID(p.pages, p.end, p.l, &r.change)
	if r.change == "" && !emptyPast(p.pages, p.end) {
		r.change = "a page past the end of the list held " + p.l.what
	}
	return r, false
}

// countMoved says whether a page's count differs from page 1's: a change,
// whichever page it is on, since a wrong estimate is wrong the same way on
// every page, and only a count sees an item shifted onto a page already
// read. A count missing on either page says nothing.
func countMoved(first, count *int) bool {
	return first != nil && count != nil && *count != *first
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
