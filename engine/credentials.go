package engine

import (
	"fmt"
	"slices"
	"strings"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/region"
)

// AccessKey is an access key pair and the principal it belongs to. The
// HTTP front looks callers up by access key ID, as AWS does with the
// credential in a request's signature.
type AccessKey struct {
	ID     string
	Secret string
	// Account and Principal name the owner; Principal is the ARN of the
	// account root, an IAM user, or a role session.
	Account   string
	Principal string
}

// CreateAccessKey registers an access key for a principal of an existing
// account (its root, a user, or a session of one of its roles). It
// returns ValidationException for an empty ID or secret, NotFoundException
// when the account or principal does not exist and AlreadyExistsException
// when the ID is taken.
func (e *Engine) CreateAccessKey(k AccessKey) error {
	if k.ID == "" || k.Secret == "" {
		return invalid("An access key needs an ID and a secret.")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.accounts[k.Account]
	if a == nil {
		return &kmserrors.NotFoundException{Message: fmt.Sprintf("Account %s does not exist.", k.Account)}
	}
	if k.Principal == "" {
		k.Principal = region.RootARN(a.partition, a.id)
	}
	if !a.knows(k.Principal) {
		return &kmserrors.NotFoundException{Message: fmt.Sprintf("%s does not exist.", k.Principal)}
	}
	if _, ok := e.accessKeys.Load(k.ID); ok {
		return &kmserrors.AlreadyExistsException{Message: fmt.Sprintf("Access key %s already exists.", k.ID)}
	}
	e.accessKeys.Store(k.ID, k)
	return nil
}

// LookupAccessKey returns the access key with the given ID. It takes no
// engine lock: the HTTP front calls it on every request before the
// operation itself, and a second trip through the engine's mutex per
// request showed in the profile of a server at concurrency 16.
func (e *Engine) LookupAccessKey(id string) (AccessKey, bool) {
	v, ok := e.accessKeys.Load(id)
	if !ok {
		return AccessKey{}, false
	}
	return v.(AccessKey), true
}

// AccessKeys returns every access key, sorted by ID.
func (e *Engine) AccessKeys() []AccessKey {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := []AccessKey{}
	e.accessKeys.Range(func(_, v any) bool {
		out = append(out, v.(AccessKey))
		return true
	})
	slices.SortFunc(out, func(a, b AccessKey) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Principals returns the ARNs of an account's IAM users and roles,
// sorted; the root user is implicit and not listed. It returns
// NotFoundException for an unknown account.
func (e *Engine) Principals(accountID string) ([]string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.accounts[accountID]
	if a == nil {
		return nil, &kmserrors.NotFoundException{Message: fmt.Sprintf("Account %s does not exist.", accountID)}
	}
	out := make([]string, 0, len(a.principals))
	for arn := range a.principals {
		out = append(out, arn)
	}
	slices.Sort(out)
	return out, nil
}
