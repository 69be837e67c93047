package policy

import (
	"strconv"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/region"
)

// Effect is the outcome of evaluating policies for a request.
type Effect int

// The three outcomes. An implicit deny means no statement allowed the
// request; an explicit Deny means a Deny statement matched it.
const (
	ImplicitDeny Effect = iota
	Allow
	Deny
)

// String returns "ImplicitDeny", "Allow", "Deny" or "Effect(n)".
func (e Effect) String() string {
	switch e {
	case ImplicitDeny:
		return "ImplicitDeny"
	case Allow:
		return "Allow"
	case Deny:
		return "Deny"
	}
	return "Effect(" + strconv.Itoa(int(e)) + ")"
}

// Values of [Decision.Source].
const (
	ResourceBased = "resource-based" // the key policy
	IdentityBased = "identity-based" // an IAM policy of the caller
)

// Request is one authorization question: may Caller perform Action on
// Resource, given the condition-key values in Context?
type Request struct {
	// Action is the permission, "kms:<Operation>" (case-insensitive),
	// e.g. "kms:ReplicateKey", "kms:ReEncryptFrom".
	Action string
	// Caller is the principal making the request.
	Caller Principal
	// Resource is the key ARN, or "*" for CreateKey and the other
	// IAM-only actions.
	Resource string
	// ResourceAccount is the account that owns the key; when empty it is
	// taken from Resource.
	ResourceAccount string
	// CrossAccountAllowed reports that the operation supports callers of
	// other accounts (spec §1.5: Encrypt, Decrypt, DescribeKey, ...).
	CrossAccountAllowed bool
	// Context holds the condition-key values of the request.
	Context Context
}

func (r *Request) resourceAccount() string {
	if r.ResourceAccount != "" {
		return r.ResourceAccount
	}
	if a, ok := region.ParseARN(r.Resource); ok {
		return a.Account
	}
	return ""
}

// Decision explains the outcome of [Document.Evaluate] or [Authorize].
type Decision struct {
	// Effect is the outcome.
	Effect Effect
	// Statement names the statement that decided: its Sid, or "#<index>"
	// (0-based) when it has none. It is empty for an implicit deny.
	Statement string
	// Reason explains the outcome for people, for example "statement
	// 'Allow use of the key' matched but condition StringEquals
	// kms:ViaService failed".
	Reason string
	// Source is ResourceBased or IdentityBased: the kind of policy holding
	// the deciding statement or, for an implicit deny, the kind of policy
	// whose missing Allow denied the request; "" when no policy could
	// have allowed it. It selects the suffix of [Decision.Error].
	Source string
}

// evalResult is the outcome of one document for one request.
type evalResult struct {
	deny    int // first matching Deny statement, or -1
	allow   int // first matching Allow statement naming the caller directly, or -1
	account int // first matching Allow statement naming the caller's account, or -1
	// How close an Allow statement came, for explanations: 0 none named
	// the caller, 1 one named it but not the action, 2 principal and
	// action matched but not the resource (statement miss), 3 a condition
	// failed (statement miss, condition cond).
	stage int
	miss  int
	cond  *condition
}

// Explanations of an implicit deny when no statement came close.
const (
	missNoPrincipal = "no Allow statement names the caller"
	missNoAction    = "no Allow statement that names the caller covers the action"
	missNoActionID  = "no Allow statement covers the action"
)

// eval evaluates every statement of d. It does not allocate.
func (d *Document) eval(req *Request) evalResult {
	r := evalResult{deny: -1, allow: -1, account: -1, miss: -1}
	if d.identity {
		r.stage = 1
	}
	for i := range d.stmts {
		st := &d.stmts[i]
		m := matchDirect
		if !d.identity {
			if !st.hasPrincipal {
				continue
			}
			m = st.principal.match(&req.Caller)
			if st.notPrincipal {
				if m == matchNone {
					m = matchDirect
				} else {
					m = matchNone
				}
			}
			if m == matchNone {
				continue
			}
			if r.stage < 1 && st.effect == Allow {
				r.stage = 1
			}
		}
		allow := st.effect == Allow
		if !st.matchAction(req.Action) {
			continue
		}
		if !st.matchResource(req) {
			if allow && r.stage < 2 {
				r.stage, r.miss = 2, i
			}
			continue
		}
		if c := st.failedCondition(&req.Context); c != nil {
			if allow && r.stage < 3 {
				r.stage, r.miss, r.cond = 3, i, c
			}
			continue
		}
		if !allow {
			r.deny = i
			return r
		}
		if m == matchDirect {
			if r.allow < 0 {
				r.allow = i
			}
		} else if r.account < 0 {
			r.account = i
		}
	}
	return r
}

// missReason explains why no statement of d allowed the request.
func (d *Document) missReason(r *evalResult) string {
	switch r.stage {
	case 0:
		return missNoPrincipal
	case 1:
		if d.identity {
			return missNoActionID
		}
		return missNoAction
	case 2:
		return d.explain().stmts[r.miss].resource
	}
	return d.explain().conds[r.cond.index]
}

func (st *statement) matchAction(action string) bool {
	if !st.hasAction {
		return false
	}
	found := false
	for i := range st.actions {
		if st.actions[i].match(action) {
			found = true
			break
		}
	}
	return found != st.notAction
}

func (st *statement) matchResource(req *Request) bool {
	if !st.hasResource {
		return false
	}
	found := false
	for i := range st.resources {
		if st.resources[i].arn(req.Resource, &req.Context) {
			found = true
			break
		}
	}
	return found != st.notResource
}

// failedCondition returns the first condition that does not hold, or nil.
func (st *statement) failedCondition(ctx *Context) *condition {
	for i := range st.conds {
		if !st.conds[i].eval(ctx) {
			return &st.conds[i]
		}
	}
	return nil
}

func (d *Document) source() string {
	if d.identity {
		return IdentityBased
	}
	return ResourceBased
}

// Evaluate evaluates the statements of d alone for req: Deny when a Deny
// statement matches, else Allow when an Allow statement matches, else
// ImplicitDeny. In a key policy an Allow statement naming the caller's
// account principal matches IAM users and roles of that account too (its
// Reason says so); whether that grants anything is for [Authorize] to
// decide. Evaluate never parses; it allocates only on the first
// evaluation of d, to build the explanation texts Decisions refer to. A nil
// d or req gives an implicit deny.
func (d *Document) Evaluate(req *Request) Decision {
	if d == nil || req == nil {
		return Decision{Effect: ImplicitDeny, Reason: "no policy or no request"}
	}
	r := d.eval(req)
	switch {
	case r.deny >= 0:
		t := &d.explain().stmts[r.deny]
		return Decision{Effect: Deny, Statement: t.label, Reason: t.match, Source: d.source()}
	case r.allow >= 0:
		t := &d.explain().stmts[r.allow]
		return Decision{Effect: Allow, Statement: t.label, Reason: t.match, Source: d.source()}
	case r.account >= 0:
		t := &d.explain().stmts[r.account]
		return Decision{Effect: Allow, Statement: t.label, Reason: t.account, Source: d.source()}
	}
	return Decision{Effect: ImplicitDeny, Reason: d.missReason(&r), Source: d.source()}
}

// IAMOnly reports whether action is decided by IAM policies alone because
// no key policy can govern it (spec §7.6 item 5): kms:CreateKey,
// kms:ListKeys, kms:ListAliases and kms:GenerateRandom, in any case.
func IAMOnly(action string) bool {
	for _, a := range [...]string{"kms:CreateKey", "kms:ListKeys", "kms:ListAliases", "kms:GenerateRandom"} {
		if equalFoldASCII(a, action) {
			return true
		}
	}
	return false
}

// Authorize decides a request the way KMS combines the key policy with
// the caller's IAM identity-based policies (spec §7.6):
//
//  1. A matching Deny in the key policy, then in any identity policy,
//     denies (Source tells which).
//  2. IAM-only actions ([IAMOnly]) ignore key: an identity policy must
//     allow them. The account root user is allowed anything IAM could
//     grant, so it needs no identity policy.
//  3. A caller of another account than the key's is denied unless
//     req.CrossAccountAllowed (Source "").
//  4. Same account: a key-policy Allow naming the caller (its ARN, its
//     role for a role session, "*", or for the root user its account)
//     allows. A key-policy Allow naming the account principal allows IAM
//     users and roles only together with an identity-policy Allow for the
//     key's ARN (or "*"); without such a key-policy statement identity
//     policies have no effect.
//  5. Cross account: a key-policy Allow naming the caller, its account or
//     "*" is needed, and an identity-policy Allow too (the root user of
//     the calling account has it implicitly).
//  6. Otherwise the request is implicitly denied. Source is
//     ResourceBased when no key-policy statement allowed, and
//     IdentityBased when the key policy allowed but IAM did not.
//
// key comes from [Parse] or [Validate], identity from [ParseIdentity];
// nil entries are skipped. Authorize allocates only to explain decisions
// involving both kinds of policy.
func Authorize(key *Document, identity []*Document, req *Request) Decision {
	v := authorize(key, identity, req)
	return v.decision(key, identity)
}

// verdict is the outcome of authorize, turned into a Decision (with its
// explanations) only when needed.
type verdict struct {
	effect   Effect
	source   string
	why      verdictReason
	kp       evalResult // of the key policy
	kpStmt   int        // deciding key-policy statement, or -1
	idPolicy int        // deciding identity policy, or -1
	idStmt   int        // deciding statement of that identity policy, or -1
}

type verdictReason uint8

const (
	whyNoRequest      verdictReason = iota
	whyKeyPolicy                    // kpStmt decided alone (Allow or Deny)
	whyIdentity                     // idPolicy/idStmt decided alone (Allow or Deny)
	whyRootIAM                      // IAM-only action by the root user
	whyNoIAM                        // IAM-only action, no identity Allow
	whyCrossAccount                 // cross-account use not supported
	whyNoKeyPolicy                  // no key-policy statement allowed
	whyKeyButNoIAM                  // key policy allowed through kpStmt, IAM did not
	whyKeyAndRoot                   // key policy allowed, root needs no IAM
	whyKeyAndIdentity               // key policy and identity policy allowed
)

func authorize(key *Document, identity []*Document, req *Request) verdict {
	v := verdict{kpStmt: -1, idPolicy: -1, idStmt: -1}
	if req == nil {
		return v
	}
	iamOnly := IAMOnly(req.Action)
	v.kp = evalResult{deny: -1, allow: -1, account: -1, miss: -1}
	if !iamOnly && key != nil {
		v.kp = key.eval(req)
		if v.kp.deny >= 0 {
			v.effect, v.source, v.why, v.kpStmt = Deny, ResourceBased, whyKeyPolicy, v.kp.deny
			return v
		}
	}
	for j, doc := range identity {
		if doc == nil {
			continue
		}
		r := doc.eval(req)
		if r.deny >= 0 {
			v.effect, v.source, v.why, v.idPolicy, v.idStmt = Deny, IdentityBased, whyIdentity, j, r.deny
			return v
		}
		if v.idStmt < 0 {
			if r.allow >= 0 {
				v.idPolicy, v.idStmt = j, r.allow
			} else if r.account >= 0 {
				v.idPolicy, v.idStmt = j, r.account
			}
		}
	}
	root := req.Caller.Kind == Root
	iamAllows := v.idStmt >= 0 || root
	if iamOnly {
		switch {
		case v.idStmt >= 0:
			v.effect, v.source, v.why = Allow, IdentityBased, whyIdentity
		case root:
			v.effect, v.source, v.why = Allow, IdentityBased, whyRootIAM
		default:
			v.effect, v.source, v.why = ImplicitDeny, IdentityBased, whyNoIAM
		}
		return v
	}
	same := req.Caller.Account != "" && req.Caller.Account == req.resourceAccount()
	if !same && !req.CrossAccountAllowed {
		v.effect, v.why = ImplicitDeny, whyCrossAccount
		return v
	}
	if same && v.kp.allow >= 0 {
		v.effect, v.source, v.why, v.kpStmt = Allow, ResourceBased, whyKeyPolicy, v.kp.allow
		return v
	}
	v.kpStmt = v.kp.allow
	if v.kpStmt < 0 {
		v.kpStmt = v.kp.account
	}
	switch {
	case v.kpStmt < 0:
		v.effect, v.source, v.why = ImplicitDeny, ResourceBased, whyNoKeyPolicy
	case !iamAllows:
		v.effect, v.source, v.why = ImplicitDeny, IdentityBased, whyKeyButNoIAM
	case v.idStmt < 0:
		v.effect, v.source, v.why = Allow, ResourceBased, whyKeyAndRoot
	default:
		v.effect, v.source, v.why = Allow, IdentityBased, whyKeyAndIdentity
	}
	return v
}

// decision explains v.
func (v *verdict) decision(key *Document, identity []*Document) Decision {
	dec := Decision{Effect: v.effect, Source: v.source}
	var kpText, idText *statementTexts
	if v.kpStmt >= 0 {
		kpText = &key.explain().stmts[v.kpStmt]
	}
	if v.idStmt >= 0 {
		idText = &identity[v.idPolicy].explain().stmts[v.idStmt]
	}
	// kpReason is how the key-policy statement matched.
	kpReason := func() string {
		if v.kp.allow == v.kpStmt {
			return kpText.match
		}
		return kpText.account
	}
	idPrefix := func() string { return "identity policy " + strconv.Itoa(v.idPolicy) + ": " }
	switch v.why {
	case whyNoRequest:
		dec.Reason = "no request"
	case whyKeyPolicy:
		dec.Statement, dec.Reason = kpText.label, kpText.match
	case whyIdentity:
		dec.Statement, dec.Reason = idText.label, idPrefix()+idText.match
	case whyRootIAM:
		dec.Reason = "the account root user has every permission an identity-based policy can grant"
	case whyNoIAM:
		dec.Reason = "no identity-based policy allows the action, which only IAM policies can grant"
	case whyCrossAccount:
		dec.Reason = "the caller is in another account and the operation does not support cross-account use"
	case whyNoKeyPolicy:
		if key == nil {
			dec.Reason = "the key has no key policy"
		} else {
			dec.Reason = key.missReason(&v.kp)
		}
	case whyKeyButNoIAM:
		dec.Reason = "key policy " + kpReason() + ", but no identity-based policy allows the request"
		if v.kp.stage >= 2 {
			// A statement naming the caller directly came close.
			dec.Reason += " (" + key.missReason(&v.kp) + ")"
		}
	case whyKeyAndRoot:
		dec.Statement = kpText.label
		dec.Reason = "key policy " + kpReason() + ", and the account root user needs no identity-based policy"
	case whyKeyAndIdentity:
		dec.Statement = idText.label
		dec.Reason = "key policy " + kpReason() + ", and " + idPrefix() + idText.match
	}
	return dec
}

// Error returns nil when dec allows and otherwise a
// *kmserrors.AccessDeniedException with the message KMS sends:
//
//	User: <caller ARN> is not authorized to perform: <action> on resource: <resource>
//
// followed by a suffix chosen from dec.Effect and dec.Source:
// " with an explicit deny in a resource-based policy" (Deny,
// ResourceBased), " with an explicit deny in an identity-based policy"
// (Deny, IdentityBased), " because no resource-based policy allows the
// <action> action" (ImplicitDeny, ResourceBased) and " because no
// identity-based policy allows the <action> action" (ImplicitDeny,
// IdentityBased); no suffix when Source is empty. The caller ARN, action
// and resource come from req, which may be nil.
func (dec Decision) Error(req *Request) error {
	if dec.Effect == Allow {
		return nil
	}
	var caller, action, resource string
	if req != nil {
		caller, action, resource = req.Caller.ARN, req.Action, req.Resource
	}
	msg := "User: " + caller + " is not authorized to perform: " + action + " on resource: " + resource
	switch {
	case dec.Effect == Deny && dec.Source == ResourceBased:
		msg += " with an explicit deny in a resource-based policy"
	case dec.Effect == Deny && dec.Source == IdentityBased:
		msg += " with an explicit deny in an identity-based policy"
	case dec.Source == ResourceBased:
		msg += " because no resource-based policy allows the " + action + " action"
	case dec.Source == IdentityBased:
		msg += " because no identity-based policy allows the " + action + " action"
	}
	return &kmserrors.AccessDeniedException{Message: msg}
}
