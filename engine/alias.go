package engine

import (
	"slices"
	"strings"
	"time"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/region"
)

// alias is one alias of an account in a Region (spec §1.4). Aliases are
// independent per Region: related multi-Region keys do not share them.
type alias struct {
	name    string
	target  string // key ID of the target key, in the alias's scope
	created time.Time
	updated time.Time
}

// maxAliasesPerKey is the KMS quota of aliases per key (spec §10.1).
const maxAliasesPerKey = 50

// aliasPrefix starts every alias name; reservedAliasPrefix is kept for
// AWS managed keys.
const (
	aliasPrefix         = "alias/"
	reservedAliasPrefix = "alias/aws/"
)

// aliasPattern is the AliasNameType model pattern, as AWS prints it.
const aliasPattern = `^[a-zA-Z0-9:/_-]+$`

// deleteAliasesOf removes the aliases that point to k, which is being
// deleted (spec §4.4).
func (e *Engine) deleteAliasesOf(k *keystore.Key) {
	s := keystore.Scope{Account: k.Account(), Region: k.Region}
	for name, a := range e.aliases[s] {
		if a.target == k.ID() {
			delete(e.aliases[s], name)
		}
	}
}

// aliasName checks a required AliasNameType member against the model.
func (v *violations) aliasName(member, s string) {
	if !v.required(member, s) {
		return
	}
	v.length(member, s, 1, 256)
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == ':' || r == '/' || r == '_' || r == '-') {
			v.add(quote(s), member, "satisfy regular expression pattern: "+aliasPattern)
			return
		}
	}
}

// checkAliasName applies KMS's rules for a customer alias name beyond the
// model (spec §1.4), for CreateAlias and UpdateAlias.
func checkAliasName(name string) error {
	if !strings.HasPrefix(name, aliasPrefix) || name == aliasPrefix {
		return &kmserrors.ValidationException{Message: `Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html`}
	}
	if strings.Contains(name[len(aliasPrefix):], ":") {
		return &kmserrors.ValidationException{Message: name + " contains invalid characters for an alias"}
	}
	if strings.HasPrefix(name, reservedAliasPrefix) {
		return &kmserrors.InvalidAliasNameException{Message: "Alias names cannot begin with alias/aws/."}
	}
	return nil
}

// checkAliasTarget rejects a TargetKeyId that names an alias.
func checkAliasTarget(target string) error {
	isAlias := strings.HasPrefix(target, aliasPrefix)
	if a, ok := region.ParseARN(target); ok && strings.HasPrefix(a.Resource, aliasPrefix) {
		isAlias = true
	}
	if isAlias {
		return &kmserrors.ValidationException{Message: "Aliases must refer to keys. Not aliases"}
	}
	return nil
}

// aliasARN is the ARN of alias name in the caller's account and Region.
func (cl *call) aliasARN(name string) string {
	return region.AliasARN(cl.partition, cl.scope.Region, cl.scope.Account, sanitize(name))
}

// authorizeAlias checks the alias side of an alias operation: IAM
// policies only, on the alias ARN (spec §7.6 rule 5).
func (cl *call) authorizeAlias(name string) error {
	return cl.authorizeIAM("kms:"+cl.op, cl.aliasARN(name), nil)
}

// aliasTarget resolves the key ID or key ARN an alias is to point to and
// authorizes the call's action on it through its key policy.
func (cl *call) aliasTarget(target string) (*keystore.Key, error) {
	if err := checkAliasTarget(target); err != nil {
		return nil, err
	}
	return cl.resolve(target, keyOnly)
}

// countAliases returns the number of aliases pointing to k.
func (cl *call) countAliases(k *keystore.Key) int {
	n := 0
	for _, a := range cl.e.aliases[cl.scope] {
		if a.target == k.ID() {
			n++
		}
	}
	return n
}

// keyKind is the key type UpdateAlias compares: symmetric, asymmetric or
// HMAC.
func keyKind(k *keystore.Key) string {
	switch {
	case k.Family.Spec.Symmetric():
		return "symmetric"
	case k.Family.Usage == keystore.GenerateVerifyMAC:
		return "HMAC"
	}
	return "asymmetric"
}

// CreateAliasInput is the CreateAlias request.
type CreateAliasInput struct {
	AliasName string `json:"aliasName"`
	// TargetKeyID is a key ID or key ARN of the caller's account and
	// Region; aliases are not accepted.
	TargetKeyID string `json:"targetKeyId"`
}

// CreateAliasOutput is the (empty) CreateAlias response.
type CreateAliasOutput struct{}

// CreateAlias creates an alias in the caller's account and Region for a
// key there. Aliases are not shared by related multi-Region keys.
//
// It returns ValidationException, InvalidAliasNameException (alias/aws/),
// InvalidArnException, NotFoundException, AccessDeniedException,
// KMSInvalidStateException (target pending deletion),
// AlreadyExistsException and LimitExceededException (50 aliases per key).
func (e *Engine) CreateAlias(c Caller, in CreateAliasInput) (*CreateAliasOutput, error) {
	return run(e, "CreateAlias", c, in, func(cl *call, in CreateAliasInput) (*CreateAliasOutput, error) {
		var v violations
		v.aliasName("aliasName", in.AliasName)
		v.keyID("targetKeyId", in.TargetKeyID)
		if err := v.err(); err != nil {
			return nil, err
		}
		if err := checkAliasName(in.AliasName); err != nil {
			return nil, err
		}
		k, err := cl.aliasTarget(in.TargetKeyID)
		if err != nil {
			return nil, err
		}
		if err := cl.authorizeAlias(in.AliasName); err != nil {
			return nil, err
		}
		if err := cl.authorize("kms:CreateAlias", k, false, nil); err != nil {
			return nil, err
		}
		if k.State == keystore.PendingDeletion || k.State == keystore.PendingReplicaDeletion {
			return nil, stateError(k)
		}
		if cl.e.aliases[cl.scope][in.AliasName] != nil {
			return nil, &kmserrors.AlreadyExistsException{Message: "An alias with the name " + cl.aliasARN(in.AliasName) + " already exists"}
		}
		if cl.countAliases(k) >= maxAliasesPerKey {
			return nil, &kmserrors.LimitExceededException{Message: "The request was rejected because a quota was exceeded."}
		}
		m := cl.e.aliases[cl.scope]
		if m == nil {
			m = make(map[string]*alias)
			cl.e.aliases[cl.scope] = m
		}
		m[in.AliasName] = &alias{name: in.AliasName, target: k.ID(), created: cl.now, updated: cl.now}
		return &CreateAliasOutput{}, nil
	})
}

// UpdateAliasInput is the UpdateAlias request.
type UpdateAliasInput struct {
	AliasName   string `json:"aliasName"`
	TargetKeyID string `json:"targetKeyId"`
}

// UpdateAliasOutput is the (empty) UpdateAlias response.
type UpdateAliasOutput struct{}

// UpdateAlias points an existing alias at another key of the caller's
// account and Region, which must have the same key type and key usage as
// the current target.
//
// It returns ValidationException, InvalidAliasNameException,
// InvalidArnException, NotFoundException, AccessDeniedException,
// KMSInvalidStateException (new target pending deletion) and
// LimitExceededException.
func (e *Engine) UpdateAlias(c Caller, in UpdateAliasInput) (*UpdateAliasOutput, error) {
	return run(e, "UpdateAlias", c, in, func(cl *call, in UpdateAliasInput) (*UpdateAliasOutput, error) {
		var v violations
		v.aliasName("aliasName", in.AliasName)
		v.keyID("targetKeyId", in.TargetKeyID)
		if err := v.err(); err != nil {
			return nil, err
		}
		if err := checkAliasName(in.AliasName); err != nil {
			return nil, err
		}
		a := cl.e.aliases[cl.scope][in.AliasName]
		if a == nil {
			return nil, cl.aliasNotFound(cl.scope.Account, in.AliasName)
		}
		old := cl.e.keys.Get(cl.scope, a.target)
		k, err := cl.aliasTarget(in.TargetKeyID)
		if err != nil {
			return nil, err
		}
		if err := cl.authorizeAlias(in.AliasName); err != nil {
			return nil, err
		}
		if old != nil {
			if err := cl.authorize("kms:UpdateAlias", old, false, nil); err != nil {
				return nil, err
			}
		}
		if err := cl.authorize("kms:UpdateAlias", k, false, nil); err != nil {
			return nil, err
		}
		if old != nil && (keyKind(old) != keyKind(k) || old.Family.Usage != k.Family.Usage) {
			return nil, &kmserrors.ValidationException{Message: "Alias " + cl.aliasARN(in.AliasName) + " points to a " +
				keyKind(old) + " " + string(old.Family.Usage) + " key; the new target " + k.ARN + " is a " +
				keyKind(k) + " " + string(k.Family.Usage) + " key. The new target must have the same key type and key usage."}
		}
		if k.State == keystore.PendingDeletion || k.State == keystore.PendingReplicaDeletion {
			return nil, stateError(k)
		}
		if k.ID() != a.target && cl.countAliases(k) >= maxAliasesPerKey {
			return nil, &kmserrors.LimitExceededException{Message: "The request was rejected because a quota was exceeded."}
		}
		a.target, a.updated = k.ID(), cl.now
		return &UpdateAliasOutput{}, nil
	})
}

// DeleteAliasInput is the DeleteAlias request.
type DeleteAliasInput struct {
	AliasName string `json:"aliasName"`
}

// DeleteAliasOutput is the (empty) DeleteAlias response.
type DeleteAliasOutput struct{}

// DeleteAlias deletes an alias of the caller's account and Region; its
// key is unaffected and may be in any state.
//
// It returns ValidationException, NotFoundException and
// AccessDeniedException.
func (e *Engine) DeleteAlias(c Caller, in DeleteAliasInput) (*DeleteAliasOutput, error) {
	return run(e, "DeleteAlias", c, in, func(cl *call, in DeleteAliasInput) (*DeleteAliasOutput, error) {
		var v violations
		v.aliasName("aliasName", in.AliasName)
		if err := v.err(); err != nil {
			return nil, err
		}
		a := cl.e.aliases[cl.scope][in.AliasName]
		if a == nil {
			return nil, cl.aliasNotFound(cl.scope.Account, in.AliasName)
		}
		if err := cl.authorizeAlias(in.AliasName); err != nil {
			return nil, err
		}
		if k := cl.e.keys.Get(cl.scope, a.target); k != nil {
			cl.key = k
			if err := cl.authorize("kms:DeleteAlias", k, false, nil); err != nil {
				return nil, err
			}
		}
		delete(cl.e.aliases[cl.scope], in.AliasName)
		return &DeleteAliasOutput{}, nil
	})
}

// ListAliasesInput is the ListAliases request. Zero Limit means 50; KMS
// returns at most 100 per page.
type ListAliasesInput struct {
	// KeyID, when set, is a key ID or key ARN whose aliases to list.
	KeyID  string `json:"keyId,omitempty"`
	Limit  int    `json:"limit,omitempty"`
	Marker string `json:"marker,omitempty"`
}

// AliasListEntry is one alias in a ListAliases page.
type AliasListEntry struct {
	AliasName       string    `json:"aliasName"`
	AliasArn        string    `json:"aliasArn"`
	TargetKeyID     string    `json:"targetKeyId"`
	CreationDate    time.Time `json:"creationDate"`
	LastUpdatedDate time.Time `json:"lastUpdatedDate"`
}

// ListAliasesOutput is one page of ListAliases, sorted by alias name.
type ListAliasesOutput struct {
	Aliases    []AliasListEntry `json:"aliases"`
	NextMarker string           `json:"nextMarker,omitempty"`
	Truncated  bool             `json:"truncated"`
}

// ListAliases lists the customer aliases of the caller's account and
// Region, or those of one key. AWS managed aliases (alias/aws/...) are
// not modelled and never listed.
//
// It returns ValidationException, InvalidArnException, NotFoundException
// and AccessDeniedException.
func (e *Engine) ListAliases(c Caller, in ListAliasesInput) (*ListAliasesOutput, error) {
	return run(e, "ListAliases", c, in, func(cl *call, in ListAliasesInput) (*ListAliasesOutput, error) {
		var v violations
		v.optional("keyId", in.KeyID, 1, 2048)
		v.limit(in.Limit)
		v.marker(in.Marker)
		if err := v.err(); err != nil {
			return nil, err
		}
		filter := ""
		if in.KeyID != "" {
			k, err := cl.resolve(in.KeyID, keyOnly)
			if err != nil {
				return nil, err
			}
			filter = k.ID()
		}
		if err := cl.authorizeIAM("kms:ListAliases", "*", nil); err != nil {
			return nil, err
		}
		names := make([]string, 0, len(cl.e.aliases[cl.scope]))
		for name, a := range cl.e.aliases[cl.scope] {
			if filter == "" || a.target == filter {
				names = append(names, name)
			}
		}
		slices.Sort(names)
		limit := min(orDefault(in.Limit, 50), 100)
		i, _ := slices.BinarySearch(names, in.Marker)
		rest := names[i:]
		out := &ListAliasesOutput{Aliases: make([]AliasListEntry, 0, min(limit, len(rest)))}
		if len(rest) > limit {
			out.NextMarker, out.Truncated = rest[limit], true
			rest = rest[:limit]
		}
		for _, name := range rest {
			a := cl.e.aliases[cl.scope][name]
			out.Aliases = append(out.Aliases, AliasListEntry{
				AliasName: a.name, AliasArn: cl.aliasARN(a.name), TargetKeyID: a.target,
				CreationDate: a.created, LastUpdatedDate: a.updated,
			})
		}
		return out, nil
	})
}
