package engine

import (
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/region"
)

// MaterialSecrets returns the secret bytes of every material version of
// key id in account and Region r, for tests that check nothing leaks.
func (e *Engine) MaterialSecrets(account string, r region.ID, id string) [][]byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	k := e.keys.Get(keystore.Scope{Account: account, Region: r}, id)
	if k == nil {
		return nil
	}
	var out [][]byte
	for _, m := range k.Family.Material.All() {
		out = append(out, m.Symmetric())
	}
	return out
}

// KeyValues returns the keystore values behind key id in account and
// Region r: the key, its family and each material version, for tests
// that print them and look for secrets.
func (e *Engine) KeyValues(account string, r region.ID, id string) []any {
	e.mu.Lock()
	defer e.mu.Unlock()
	k := e.keys.Get(keystore.Scope{Account: account, Region: r}, id)
	if k == nil {
		return nil
	}
	out := []any{k, *k, k.Family, *k.Family, &k.Family.Material}
	for _, m := range k.Family.Material.All() {
		out = append(out, m, *m)
	}
	return out
}
