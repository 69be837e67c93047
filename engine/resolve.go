package engine

import (
	"fmt"
	"strings"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/region"
)

// keyRef says which identifier forms an operation accepts (spec §1.5).
type keyRef struct {
	alias        bool // alias names and alias ARNs
	crossAccount bool // key ARNs of other accounts
}

var (
	// keyOnly is for operations that take a key ID or key ARN of the
	// caller's own account: ReplicateKey, UpdatePrimaryRegion, and the
	// management operations.
	keyOnly = keyRef{}
	// anyRef is for DescribeKey and the cryptographic operations.
	anyRef = keyRef{alias: true, crossAccount: true}
)

func errAliasesUnsupported() error {
	return &kmserrors.InvalidArnException{Message: "Key Aliases are not supported for this operation."}
}

func notFound(format string, args ...any) error {
	return &kmserrors.NotFoundException{Message: fmt.Sprintf(format, args...)}
}

// resolve finds the key an identifier names, in the caller's Region, with
// KMS's errors for each way it can fail (spec §1.6).
func (cl *call) resolve(input string, ref keyRef) (*keystore.Key, error) {
	acct, id := cl.scope.Account, input
	switch {
	case strings.HasPrefix(input, "arn:"):
		a, ok := region.ParseARN(input)
		kind, name, _ := strings.Cut(a.Resource, "/")
		if !ok || a.Service != "kms" || !region.ValidAccountID(a.Account) || a.Region == "" ||
			(kind != "key" && kind != "alias") || name == "" {
			return nil, &kmserrors.InvalidArnException{Message: sanitize(input) + " is not a valid ARN."}
		}
		if kind == "alias" && !ref.alias {
			return nil, errAliasesUnsupported()
		}
		if region.ID(a.Region) != cl.scope.Region {
			return nil, notFound("Invalid arn %s", sanitize(a.Region))
		}
		if a.Partition != cl.partition {
			return nil, &kmserrors.InvalidArnException{Message: sanitize(input) + " is not a valid ARN."}
		}
		if a.Account != acct && !ref.crossAccount {
			return nil, notFound("Key '%s' does not exist", sanitize(input))
		}
		if kind == "alias" {
			return cl.viaAliasName(a.Account, "alias/"+name)
		}
		acct, id = a.Account, name
	case strings.HasPrefix(input, "alias/"):
		if !ref.alias {
			return nil, errAliasesUnsupported()
		}
		return cl.viaAliasName(acct, input)
	case !region.IsKeyID(input):
		return nil, notFound("Invalid keyId '%s'", sanitize(input))
	}
	k := cl.e.keys.Get(keystore.Scope{Account: acct, Region: cl.scope.Region}, id)
	if k == nil {
		return nil, notFound("Key '%s' does not exist", region.KeyARN(cl.partition, cl.scope.Region, acct, sanitize(id)))
	}
	cl.key = k
	return k, nil
}

// target resolves the key an operation acts on and authorizes the call's
// action ("kms:<Operation>") on it, with extra condition keys: the first
// three steps of every key operation (spec §0.3).
func (cl *call) target(input string, ref keyRef, extra conditions) (*keystore.Key, error) {
	k, err := cl.resolve(input, ref)
	if err != nil {
		return nil, err
	}
	if err := cl.authorize("kms:"+cl.op, k, ref.crossAccount, extra); err != nil {
		return nil, err
	}
	return k, nil
}

// viaAliasName resolves alias name in account acct of the caller's
// Region to its target key, and remembers the alias for kms:RequestAlias.
func (cl *call) viaAliasName(acct, name string) (*keystore.Key, error) {
	s := keystore.Scope{Account: acct, Region: cl.scope.Region}
	a := cl.e.aliases[s][name]
	if a == nil {
		return nil, cl.aliasNotFound(acct, name)
	}
	k := cl.e.keys.Get(s, a.target)
	if k == nil {
		// Deleting a key deletes its aliases, so this cannot happen.
		return nil, cl.aliasNotFound(acct, name)
	}
	if cl.viaAlias == nil {
		cl.viaAlias = make(map[*keystore.Key]string)
	}
	cl.viaAlias[k] = name
	cl.key = k
	return k, nil
}

// aliasNotFound is the NotFoundException for an alias that does not exist
// in account acct of the caller's Region.
func (cl *call) aliasNotFound(acct, name string) error {
	return notFound("Alias %s is not found.", region.AliasARN(cl.partition, cl.scope.Region, acct, sanitize(name)))
}
