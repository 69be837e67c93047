package keystore

import (
	"slices"
	"strings"

	"github.com/kmsim/kmsim/region"
)

// Scope is one account in one Region: the unit in which KMS looks keys up.
type Scope struct {
	Account string
	Region  region.ID
}

// Store holds every key, indexed by scope and key ID. It is not safe for
// concurrent use.
type Store struct {
	scopes map[Scope]*scopeKeys
	// accounts lists each account's scopes, so a key ID can be looked up
	// in every Region of an account without probing each Region.
	accounts map[string][]*scopeKeys
	count    int
}

type scopeKeys struct {
	byID map[string]*Key
	// sorted holds the key IDs in byte order for ListKeys. Keeping it
	// sorted on every insert would cost O(n) per CreateKey at a million
	// keys, so it is rebuilt lazily when a listing finds it stale.
	sorted []string
	stale  bool
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{scopes: make(map[Scope]*scopeKeys), accounts: make(map[string][]*scopeKeys)}
}

// Get returns the key with keyID in scope s, or nil.
func (st *Store) Get(s Scope, keyID string) *Key {
	if sk := st.scopes[s]; sk != nil {
		return sk.byID[keyID]
	}
	return nil
}

// InAnyRegion reports whether account holds a key with keyID in any
// Region. An account's keys are all in its partition, so this is the
// check that a new multi-Region key ID is free in every Region its
// replicas could take.
func (st *Store) InAnyRegion(account, keyID string) bool {
	for _, sk := range st.accounts[account] {
		if sk.byID[keyID] != nil {
			return true
		}
	}
	return false
}

// Put adds k under its account, Region and key ID, replacing nothing: the
// caller has checked that the slot is free.
func (st *Store) Put(k *Key) {
	s := Scope{Account: k.Account(), Region: k.Region}
	sk := st.scopes[s]
	if sk == nil {
		sk = &scopeKeys{byID: make(map[string]*Key)}
		st.scopes[s] = sk
		st.accounts[s.Account] = append(st.accounts[s.Account], sk)
	}
	sk.byID[k.ID()] = k
	sk.stale = true
	st.count++
}

// Delete removes k from the store.
func (st *Store) Delete(k *Key) {
	s := Scope{Account: k.Account(), Region: k.Region}
	sk := st.scopes[s]
	if sk == nil || sk.byID[k.ID()] != k {
		return
	}
	delete(sk.byID, k.ID())
	sk.stale = true
	st.count--
}

// Count returns the number of keys in scope s.
func (st *Store) Count(s Scope) int {
	if sk := st.scopes[s]; sk != nil {
		return len(sk.byID)
	}
	return 0
}

// Len returns the number of keys in the store.
func (st *Store) Len() int { return st.count }

// List returns up to limit keys of scope s in key-ID byte order, starting
// with the first ID not less than from, and whether more follow.
func (st *Store) List(s Scope, from string, limit int) (keys []*Key, more bool) {
	sk := st.scopes[s]
	if sk == nil {
		return nil, false
	}
	if sk.stale {
		sk.sorted = sk.sorted[:0]
		for id := range sk.byID {
			sk.sorted = append(sk.sorted, id)
		}
		slices.Sort(sk.sorted)
		sk.stale = false
	}
	i, _ := slices.BinarySearchFunc(sk.sorted, from, strings.Compare)
	end := min(i+limit, len(sk.sorted))
	keys = make([]*Key, 0, end-i)
	for _, id := range sk.sorted[i:end] {
		keys = append(keys, sk.byID[id])
	}
	return keys, end < len(sk.sorted)
}

// Scopes returns every scope that holds keys, sorted by account then Region.
func (st *Store) Scopes() []Scope {
	out := make([]Scope, 0, len(st.scopes))
	for s, sk := range st.scopes {
		if len(sk.byID) > 0 {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b Scope) int {
		if c := strings.Compare(a.Account, b.Account); c != 0 {
			return c
		}
		return strings.Compare(string(a.Region), string(b.Region))
	})
	return out
}
