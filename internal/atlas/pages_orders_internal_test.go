package atlas

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// The promise of DESIGN.md, The count is a hint: when one item is inserted
// or deleted during a read whose pages all carry a count, an item that is in
// the list for the whole read is in the result, whatever order the pages
// answer in; otherwise the pass says the list changed, and the read that
// follows (on a list that no longer changes) returns the list as it is.
// Nothing is ever listed twice.
//
// The test plays a pass through every order in which its pages can answer,
// with the change made at every moment between two answers, at every
// position of lists of 3 and 4 pages, with counts exact, skewed or missing.
// Pages are a few items long so that the whole space is tried in a moment.

// churned is a list sorted as Atlas sorts it, changed once during a read.
type churned struct {
	items []string
	count func(n int) *int // the count Atlas answers for n items
}

func (c *churned) page(num, size int) page[string] {
	start := min((num-1)*size, len(c.items))
	end := min(start+size, len(c.items))
	return page[string]{items: slices.Clone(c.items[start:end]), count: c.count(len(c.items))}
}

// oneChange is one insertion or deletion at a position of the list.
type oneChange struct {
	insert bool
	at     int
}

func (o oneChange) apply(items []string) []string {
	if o.insert {
		// Between its neighbours in Atlas's order; sorts after items[at-1].
		name := "a"
		if o.at > 0 {
			name = items[o.at-1] + "+"
		}
		return slices.Insert(slices.Clone(items), o.at, name)
	}
	return slices.Delete(slices.Clone(items), o.at, o.at+1)
}

func (o oneChange) String() string {
	if o.insert {
		return fmt.Sprintf("insert at %d", o.at)
	}
	return fmt.Sprintf("delete at %d", o.at)
}

// move is one step of a schedule: the change is made, or a page answers.
type move struct {
	change bool
	page   int
}

func (m move) String() string {
	if m.change {
		return "change"
	}
	return fmt.Sprintf("p%d", m.page)
}

// replay plays schedule from the start and returns the pass, the pages in
// flight, and the moves possible next (none: the pass is over).
type replay struct {
	list     churned
	pass     *pass[string]
	inFlight []int
	changed  bool
}

func play(l list[string], base []string, count func(int) *int, c oneChange, schedule []move) *replay {
	rp := &replay{list: churned{items: slices.Clone(base), count: count}}
	for _, m := range schedule {
		rp.do(l, c, m)
	}
	return rp
}

func (rp *replay) do(l list[string], c oneChange, m move) {
	if m.change {
		rp.list.items, rp.changed = c.apply(rp.list.items), true
		return
	}
	pg := rp.list.page(m.page, l.pageSize)
	if rp.pass == nil {
		rp.pass = newPass(l, pg)
	} else {
		rp.inFlight = slices.DeleteFunc(rp.inFlight, func(n int) bool { return n == m.page })
		rp.pass.answer(m.page, pg)
	}
	// As readPages: ask while there is room.
	for len(rp.inFlight) < pageReaders {
		n := rp.pass.ask()
		if n == 0 {
			break
		}
		rp.inFlight = append(rp.inFlight, n)
	}
}

func (rp *replay) moves() []move {
	var out []move
	if rp.pass != nil && len(rp.inFlight) == 0 {
		return nil
	}
	if !rp.changed {
		out = append(out, move{change: true})
	}
	if rp.pass == nil {
		return append(out, move{page: 1})
	}
	for _, n := range rp.inFlight {
		out = append(out, move{page: n})
	}
	return out
}

// everySchedule calls f with each complete schedule.
func everySchedule(prefix []move, next func([]move) []move, f func([]move)) {
	ms := next(prefix)
	if len(ms) == 0 {
		f(prefix)
		return
	}
	for _, m := range ms {
		everySchedule(append(slices.Clip(prefix), m), next, f)
	}
}

func TestPassKeepsEveryItemWhateverTheOrder(t *testing.T) {
	counts := []struct {
		name  string
		count func(n int) *int
		// whether the promise holds: without a count, a change that moves an
		// item across a boundary onto a page already read cannot be seen.
		promised bool
	}{
		{"exact", func(n int) *int { return &n }, true},
		{"one too high", func(n int) *int { n++; return &n }, true},
		{"one too low", func(n int) *int { n--; return &n }, true},
		{"a page too high", func(n int) *int { n += 3; return &n }, true},
		{"missing", func(int) *int { return nil }, false},
	}
	schedules, losses := 0, 0
	for _, size := range []int{3, 4} {
		l := list[string]{what: "users", id: func(s *string) string { return *s }, pageSize: size}
		// 3 and 4 pages: from two full pages (an empty third) to four pages
		// with one item short of full.
		for n := 2 * size; n < 4*size; n++ {
			base := make([]string, n)
			for i := range base {
				base[i] = fmt.Sprintf("u%03d", i)
			}
			var changes []oneChange
			for at := 0; at <= n; at++ {
				changes = append(changes, oneChange{insert: true, at: at})
				if at < n {
					changes = append(changes, oneChange{at: at})
				}
			}
			for _, cc := range counts {
				for _, c := range changes {
					next := func(s []move) []move { return play(l, base, cc.count, c, s).moves() }
					everySchedule(nil, next, func(s []move) {
						schedules++
						rp := play(l, base, cc.count, c, s)
						r, tooLong := rp.pass.finish()
						where := fmt.Sprintf("page size %d, %d items, count %s, %v, answers %v", size, n, cc.name, c, s)
						if tooLong {
							t.Fatalf("%s: too long", where)
						}
						if dup := firstRepeated(r.items); dup != "" {
							t.Fatalf("%s: %s listed twice in %v", where, dup, r.items)
						}
						if r.change != "" {
							// Read again, on the list as the change left it.
							again := play(l, rp.list.items, cc.count, c, []move{{page: 1}})
							for len(again.inFlight) > 0 {
								again.do(l, c, move{page: again.inFlight[0]})
							}
							if r2, _ := again.pass.finish(); r2.change != "" || !slices.Equal(r2.items, rp.list.items) {
								t.Fatalf("%s: the read after the change gave %v (change %q), want %v", where, r2.items, r2.change, rp.list.items)
							}
							return
						}
						if missing := lost(base, rp.list.items, r.items); missing != "" {
							if cc.promised {
								t.Fatalf("%s: %s, in the list for the whole read, is missing from %v and no change was seen", where, missing, r.items)
							}
							losses++
						}
						for _, it := range r.items {
							if !slices.Contains(base, it) && !slices.Contains(rp.list.items, it) {
								t.Fatalf("%s: %s was never listed", where, it)
							}
						}
					})
				}
			}
		}
	}
	t.Logf("%d schedules played; without a count, %d of them lost an item unseen", schedules, losses)
	if losses == 0 {
		t.Error("no schedule without a count lost an item: the test no longer reaches the orders that matter")
	}
}

// firstRepeated is the first item listed twice in items, or "".
func firstRepeated(items []string) string {
	seen := map[string]bool{}
	for _, it := range items {
		if seen[it] {
			return it
		}
		seen[it] = true
	}
	return ""
}

// lost is the first item of both before and after that got does not hold,
// or "".
func lost(before, after, got []string) string {
	for _, it := range before {
		if slices.Contains(after, it) && !slices.Contains(got, it) {
			return it
		}
	}
	return ""
}

// The case of the review, at its real size: 1,200 users, pages 2 and 3 in
// flight, page 3 answers and ends the list, then a user is inserted in page
// 2's range and page 2 answers with its last user pushed onto page 3.
func TestPassSeesAnInsertionOntoAPageAlreadyRead(t *testing.T) {
	base := make([]string, 1200)
	for i := range base {
		base[i] = fmt.Sprintf("u%04d", i)
	}
	l := list[string]{what: "users", id: func(s *string) string { return *s }}
	exact := func(n int) *int { return &n }
	rp := play(l, base, exact, oneChange{insert: true, at: 700},
		[]move{{page: 1}, {page: 3}, {change: true}, {page: 2}})
	r, _ := rp.pass.finish()
	if !strings.Contains(r.change, "1200 on page 1 to 1201 on page 2") || r.lastCountPage != 2 || countText(r.lastCount) != "1201" {
		t.Errorf("change %q, count %s on page %d; want the count of page 2 to differ from page 1's", r.change, countText(r.lastCount), r.lastCountPage)
	}
}

// Several pages whose count moved: the facts name the lowest, whatever
// order they answered in.
func TestPassNamesTheLowestPageWhoseCountMoved(t *testing.T) {
	base := make([]string, 1200)
	for i := range base {
		base[i] = fmt.Sprintf("u%04d", i)
	}
	l := list[string]{what: "users", id: func(s *string) string { return *s }}
	exact := func(n int) *int { return &n }
	for _, order := range [][]move{
		{{page: 1}, {change: true}, {page: 3}, {page: 2}},
		{{page: 1}, {change: true}, {page: 2}, {page: 3}},
	} {
		r, _ := play(l, base, exact, oneChange{at: 10}, order).pass.finish()
		if r.lastCountPage != 2 || !strings.Contains(r.change, "1200 on page 1 to 1199 on page 2") {
			t.Errorf("answers %v: change %q on page %d, want page 2's count named", order, r.change, r.lastCountPage)
		}
	}
}
