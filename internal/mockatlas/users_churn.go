package mockatlas

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Churn is how an organization's user list changes while a client pages
// through it. Atlas lists users in username order, so a change between two
// pages is an insertion or a deletion in that order.
type Churn int

const (
	// ChurnInsert adds a user that sorts before every other user: the
	// later pages shift right by one, so one user shows on two pages.
	ChurnInsert Churn = iota + 1
	// ChurnDelete removes the user listed first: the later pages shift
	// left by one, so one user is silently skipped.
	ChurnDelete
)

func (c Churn) String() string {
	switch c {
	case ChurnInsert:
		return "ChurnInsert"
	case ChurnDelete:
		return "ChurnDelete"
	}
	return fmt.Sprintf("Churn(%d)", int(c))
}

// SetUsersChurn makes the next reads of orgID's users see the list change
// while they page through it: right after answering page 1 of a read (the
// page with pageNum=1, when it lists anyone), the mock changes the list by
// kind. ChurnInsert inserts a new, valid user with the status of page 1's
// first user and a username that sorts before every other user of the
// organization; ChurnDelete deletes page 1's first user, the one that sorts
// first among those the read lists. With SetUsersUnsorted, "first" is first
// in the order served. reads is how many reads this happens to; negative
// means every read, 0 turns it off. It panics on an unknown kind.
func (s *Server) SetUsersChurn(orgID string, reads int, kind Churn) {
	if kind != ChurnInsert && kind != ChurnDelete {
		panic(fmt.Sprintf("mockatlas: SetUsersChurn: unknown kind %v", kind))
	}
	s.mu.Lock()
	o := s.userOrgLocked(orgID)
	o.churn, o.churnKind = reads, kind
	s.mu.Unlock()
}

// churnLocked changes o after a page 1 whose first user is first, if a
// churn is due. s.mu is held.
func (s *Server) churnLocked(o *userOrg, first User) {
	if o.churn == 0 {
		return
	}
	if o.churn > 0 {
		o.churn--
	}
	switch o.churnKind {
	case ChurnInsert:
		u := s.churnUserLocked(o, first)
		o.users = slices.Insert(o.users, 0, u)
		if o.sorted != nil && (len(o.sorted) == 0 || compareUsers(u, o.sorted[0]) < 0) {
			o.sorted = slices.Insert(o.sorted, 0, u)
		} else {
			o.sorted = nil
		}
	case ChurnDelete:
		same := func(u User) bool { return u.ID == first.ID && u.Username == first.Username }
		if i := slices.IndexFunc(o.users, same); i >= 0 {
			o.users = slices.Delete(o.users, i, i+1)
		}
		if o.sorted != nil {
			if i := slices.IndexFunc(o.sorted, same); i >= 0 {
				o.sorted = slices.Delete(o.sorted, i, i+1)
			}
		}
	}
}

// churnUserLocked makes the user ChurnInsert adds: a fresh ObjectId, RFC
// 3339 times from the server's clock, the fields its status has, and a
// username below every username of o. s.mu is held.
func (s *Server) churnUserLocked(o *userOrg, like User) User {
	s.churnSeq++
	n := s.churnSeq
	at := s.now().UTC().Truncate(time.Second)
	lowest := ""
	for i, u := range o.users {
		if i == 0 || u.Username < lowest {
			lowest = u.Username
		}
	}
	// '0' and '.' sort before the letters e-mail addresses start with, and
	// the number falls with each insertion, so each sorts before the last;
	// '!' (still an e-mail address) sorts before digits. A list with a
	// username below both gets the user elsewhere than first (churnLocked
	// re-sorts then).
	name := fmt.Sprintf("0.churn%07d@example.com", 9999999-n)
	if len(o.users) > 0 && name >= lowest {
		name = fmt.Sprintf("!churn%07d@example.com", 9999999-n)
	}
	u := User{
		ID:                  objectIDAt(at, rand.New(rand.NewPCG(uint64(n), 0xc4c4)), uint32(n)),
		Username:            name,
		OrgMembershipStatus: like.OrgMembershipStatus,
		Roles:               UserRoles{OrgRoles: []string{"ORG_MEMBER"}},
	}
	switch u.OrgMembershipStatus {
	case StatusActive:
		u.CreatedAt, u.LastAuth = at.Format(time.RFC3339), at.Format(time.RFC3339)
		u.FirstName, u.LastName, u.Country = "Churn", fmt.Sprintf("Insert%d", n), "US"
	default:
		u.InviterUsername = like.InviterUsername
		if u.InviterUsername == "" {
			u.InviterUsername = "owner@example.com"
		}
		u.InvitationCreatedAt = at.Format(time.RFC3339)
		if u.OrgMembershipStatus != StatusInvitationRejected {
			u.InvitationExpiresAt = at.Add(30 * 24 * time.Hour).Format(time.RFC3339)
		}
	}
	return u
}

// Count scripts the totalCount an organization's users answer with when
// includeCount is true. Atlas documents it as an estimate that may not be
// exact, so a client must not rely on it. The zero Count is the exact
// count. Absent wins over Fixed, Fixed over Skew:
//
//   - Absent omits totalCount although it was asked for.
//   - Fixed answers exactly *Fixed, whatever the list holds, e.g. 1<<62
//     or -3 (such values break the OpenAPI schema: they are faults).
//   - Skew is added to the true count of the query, the same on every page
//     of every read; a negative result is sent as 0, as a real estimate
//     is never negative.
type Count struct {
	Skew   int
	Absent bool
	Fixed  *int64
}

// SetUsersTotalCount scripts the totalCount of orgID's users from now on;
// Count{} restores the exact count.
func (s *Server) SetUsersTotalCount(orgID string, c Count) {
	s.mu.Lock()
	s.userOrgLocked(orgID).count = c.own()
	s.mu.Unlock()
}

// own is c with a Fixed of its own, so that the caller's variable cannot
// change what the mock answers later.
func (c Count) own() Count {
	if c.Fixed != nil {
		v := *c.Fixed
		c.Fixed = &v
	}
	return c
}

// answer is the totalCount sent for a query that matched n users.
func (c Count) answer(n int) *int64 {
	var v int64
	switch {
	case c.Absent:
		return nil
	case c.Fixed != nil:
		v = *c.Fixed
	default:
		v = max(int64(n)+int64(c.Skew), 0)
	}
	return &v
}

// heldInsert is SetUsersInsertWhileHeld's script for one read.
type heldInsert struct {
	first, held, after int
	answered           chan struct{} // closed once page first has answered and the user is in
}

// SetUsersInsertWhileHeld scripts, for the next read of orgID's users, a
// change that only the counts can see: page held answers only once page
// first has answered, and between the two a new user is inserted right
// after the user listed at position after (0-based, in Atlas's order).
// With held < first, the users that page held pushes onto page first were
// never on a page the reader saw. A page held in vain (page first never
// asked for) answers after 10 seconds, unchanged.
func (s *Server) SetUsersInsertWhileHeld(orgID string, first, held, after int) {
	s.mu.Lock()
	s.userOrgLocked(orgID).insert = &heldInsert{first: first, held: held, after: after, answered: make(chan struct{})}
	s.mu.Unlock()
}

// waitHeld holds page num of orgID's users while SetUsersInsertWhileHeld
// says so, and reports whether the request is still worth answering.
func (s *Server) waitHeld(r *http.Request, orgID string, num int) bool {
	s.mu.Lock()
	var hold *heldInsert
	if o := s.users[orgID]; o != nil && o.insert != nil && o.insert.held == num {
		hold = o.insert
	}
	s.mu.Unlock()
	if hold == nil {
		return true
	}
	t := time.NewTimer(10 * time.Second)
	defer t.Stop()
	select {
	case <-hold.answered:
	case <-t.C:
	case <-r.Context().Done():
		return false
	}
	return true
}

// insertAfterAnswer makes SetUsersInsertWhileHeld's change once page num
// of orgID's users has been sent (flushed, so the reader has it first).
func (s *Server) insertAfterAnswer(w http.ResponseWriter, orgID string, num int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.users[orgID]
	if o == nil || o.insert == nil || o.insert.first != num {
		return
	}
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	listed := o.listed()
	prev := listed[min(max(o.insert.after, 0), len(listed)-1)]
	u := s.churnUserLocked(o, prev)
	// Sorts after prev: '_' sorts after '@' and before the lower-case
	// letters that follow a shared prefix.
	local, domain, _ := strings.Cut(prev.Username, "@")
	u.Username = local + "_inserted@" + domain
	o.users = append(o.users, u)
	o.sorted = nil
	close(o.insert.answered)
	o.insert = nil
}
