package engine

import (
	"strconv"
	"strings"

	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/policy"
	"github.com/kmsim/kmsim/region"
)

// conditions collects the condition-key values of one authorization
// (spec §7.2) before they become a policy.Context.
type conditions map[string][]string

func (c conditions) set(key string, values ...string) conditions {
	c[key] = values
	return c
}

// tags adds aws:RequestTag/<key> for each tag and aws:TagKeys.
func (c conditions) tags(tags []keystore.Tag) conditions {
	if len(tags) == 0 {
		return c
	}
	keys := make([]string, len(tags))
	for i, t := range tags {
		c["aws:RequestTag/"+t.Key] = []string{t.Value}
		keys[i] = t.Key
	}
	c["aws:TagKeys"] = keys
	return c
}

// baseConditions holds the keys every request has: who calls, from which
// account, in which Region, from where.
func (cl *call) baseConditions(r region.ID) conditions {
	c := conditions{
		"kms:CallerAccount":    {cl.who.Account},
		"aws:PrincipalAccount": {cl.who.Account},
		"aws:RequestedRegion":  {string(r)},
	}
	arn := cl.who.ARN
	if cl.who.RoleARN != "" {
		// For a role session aws:PrincipalArn is the role's ARN.
		arn = cl.who.RoleARN
	}
	c["aws:PrincipalArn"] = []string{arn}
	if cl.who.Kind == policy.User {
		c["aws:username"] = []string{arn[strings.LastIndexByte(arn, '/')+1:]}
	}
	if cl.caller.SourceIP != "" {
		c["aws:SourceIp"] = []string{cl.caller.SourceIP}
	}
	return c
}

// keyConditions adds the resource keys of an existing key.
func (c conditions) key(k *keystore.Key) conditions {
	f := k.Family
	c["kms:KeySpec"] = []string{string(f.Spec)}
	c["kms:KeyUsage"] = []string{string(f.Usage)}
	c["kms:KeyOrigin"] = []string{string(f.Origin)}
	c["kms:MultiRegion"] = []string{strconv.FormatBool(f.MultiRegion)}
	if role := k.Role(); role != "" {
		c["kms:MultiRegionKeyType"] = []string{string(role)}
	}
	for _, t := range k.Tags {
		c["aws:ResourceTag/"+t.Key] = []string{t.Value}
	}
	return c
}

// authorize decides whether the caller may perform action on key k in
// k's Region (spec §7.6), with extra condition keys beside the base and
// key ones. crossAccount says whether the operation accepts callers of
// other accounts.
func (cl *call) authorize(action string, k *keystore.Key, crossAccount bool, extra conditions) error {
	if cl.authorizesTrivially(k) {
		return nil
	}
	c := cl.baseConditions(k.Region).key(k)
	if name := cl.viaAlias[k]; name != "" {
		c["kms:RequestAlias"] = []string{name}
	}
	for key, v := range extra {
		c[key] = v
	}
	for key, v := range cl.callConds {
		c[key] = v
	}
	req := &policy.Request{
		Action:              action,
		Caller:              cl.who,
		Resource:            k.ARN,
		ResourceAccount:     k.Account(),
		CrossAccountAllowed: crossAccount,
		Context:             policy.ContextOf(c),
	}
	return policy.Authorize(cl.e.keyPolicyDoc(k), cl.iam, req).Error(req)
}

// authorizesTrivially reports whether authorize allows any action on k
// without looking at condition keys: with authorization off, or for the
// account root user under the default key policy, which has no IAM
// policies to deny and whose only statement allows its account everything.
func (cl *call) authorizesTrivially(k *keystore.Key) bool {
	return !cl.e.authz || (k.Policy == "" && cl.who.Kind == policy.Root && cl.who.Account == k.Account())
}

// checksIAM reports whether the caller's IAM policies are consulted: not
// for the root user, who has every IAM permission, nor with authorization
// off.
func (cl *call) checksIAM() bool { return cl.e.authz && cl.who.Kind != policy.Root }

// authorizeIAM decides an action only IAM policies can allow: kms:CreateKey
// and kms:ListKeys, and the kms:CreateKey and kms:TagResource that
// ReplicateKey needs in the replica Region, whose key does not exist yet.
// resource is "*" or the ARN the new key will have. nil conditions
// stand for the base conditions of the caller's Region, built only when
// IAM is consulted.
func (cl *call) authorizeIAM(action, resource string, c conditions) error {
	if !cl.checksIAM() {
		return nil
	}
	if c == nil {
		c = cl.baseConditions(cl.scope.Region)
	}
	req := &policy.Request{
		Action:          action,
		Caller:          cl.who,
		Resource:        resource,
		ResourceAccount: cl.who.Account,
		Context:         policy.ContextOf(c),
	}
	dec := policy.Decision{Source: policy.IdentityBased}
	for _, d := range cl.iam {
		switch r := d.Evaluate(req); r.Effect {
		case policy.Deny:
			return r.Error(req)
		case policy.Allow:
			dec = r
		}
	}
	return dec.Error(req)
}

// keyPolicyDoc returns k's compiled key policy.
func (e *Engine) keyPolicyDoc(k *keystore.Key) *policy.Document {
	if k.PolicyDoc != nil {
		return k.PolicyDoc
	}
	return e.defaultPolicy(k.Family.Partition, k.Family.Account).doc
}

// keyPolicy returns k's policy document as KMS returns it.
func (e *Engine) keyPolicy(k *keystore.Key) string {
	if k.Policy != "" {
		return k.Policy
	}
	return e.defaultPolicy(k.Family.Partition, k.Family.Account).text
}

// defaultPolicy is an account's default key policy, as text and
// compiled.
type defaultPolicy struct {
	text string
	doc  *policy.Document
}

// defaultPolicy makes the default key policy of an account once: every
// key created without a policy has it, and ReplicateKey returns it.
func (e *Engine) defaultPolicy(partition, account string) defaultPolicy {
	id := partition + ":" + account
	if d, ok := e.defaultDocs[id]; ok {
		return d
	}
	text := policy.Default(partition, account)
	doc, err := policy.Parse(text)
	if err != nil {
		panic("engine: the default key policy does not parse: " + err.Error())
	}
	d := defaultPolicy{text: text, doc: doc}
	e.defaultDocs[id] = d
	return d
}

// validatePolicy checks a key policy submitted for a key with ARN keyARN
// (spec §7.3): size, grammar, principals that exist, and the lockout
// check for the caller unless bypassed or authorization is off. An empty text is the default
// policy and needs no check.
func (cl *call) validatePolicy(text string, bypass bool, keyARN string, r region.ID, keyConds conditions) (*policy.Document, error) {
	if text == "" {
		return nil, nil
	}
	lockout := &policy.Request{
		Action:          "kms:PutKeyPolicy",
		Caller:          cl.who,
		Resource:        keyARN,
		ResourceAccount: cl.scope.Account,
		Context:         policy.ContextOf(cl.baseConditions(r).merge(keyConds)),
	}
	return policy.Validate(text, policy.ValidateOptions{
		MaxBytes:         cl.e.maxPolicyBytes,
		Directory:        directory{cl.e, cl},
		Lockout:          lockout,
		IdentityPolicies: cl.iam,
		// With authorization off no policy can lock anyone out, so the
		// check that guards against it is moot.
		Bypass: bypass || !cl.e.authz,
	})
}

func (c conditions) merge(o conditions) conditions {
	for k, v := range o {
		c[k] = v
	}
	return c
}

// directory answers principal existence for policy validation from the
// engine's accounts, hiding principals younger than the visibility delay.
type directory struct {
	e  *Engine
	cl *call
}

func (d directory) AccountExists(account string) bool { return d.e.accounts[account] != nil }

func (d directory) PrincipalExists(arn string) bool {
	who, ok := policy.ParsePrincipal(arn)
	if !ok {
		return false
	}
	a := d.e.accounts[who.Account]
	if a == nil {
		return false
	}
	_, p, ok := a.identify(arn)
	return ok && (p == nil || !d.cl.now.Before(p.created.Add(d.e.visibility)))
}
