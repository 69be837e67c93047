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
