package policy

import (
	"strconv"
	"unicode/utf8"

	kmserrors "github.com/kmsim/kmsim/errors"
)

// Limits and messages of the validation rules (spec §7.3).
const (
	// DefaultMaxBytes is the key policy size quota in UTF-8 bytes (rule 2).
	DefaultMaxBytes = 32768
	// MaxLength is the model's maximum length of PolicyType in characters
	// (rule 1).
	MaxLength = 131072
	// Pattern is the model's pattern of PolicyType, as KMS quotes it in
	// ValidationException messages (rule 1).
	Pattern = `[\u0009\u000A\u000D\u0020-\u00FF]+`

	// MsgTooLarge is the LimitExceededException message of rule 2.
	MsgTooLarge = "The key policy exceeds the maximum allowed size."
	// MsgInvalidPrincipals is the MalformedPolicyDocumentException message
	// of rule 5.
	MsgInvalidPrincipals = "Policy contains a statement with one or more invalid principals."
	// MsgLockout is the MalformedPolicyDocumentException message of rule 7.
	MsgLockout = "The new key policy will not allow you to update the key policy in the future."
)

// Directory reports which principals exist, for rule 5 of §7.3. The
// engine implements it over its simulated accounts and IAM principals.
type Directory interface {
	// AccountExists reports whether the 12-digit account exists; it is
	// asked about account principals given as a bare ID ("111122223333").
	AccountExists(account string) bool
	// PrincipalExists reports whether an account root
	// (arn:<p>:iam::111122223333:root, which names its partition too) or
	// an IAM user or role exists, by ARN.
	// It is also asked about role-session ARNs
	// (arn:<p>:sts::<acct>:assumed-role/<Role>/<Session>), which it must
	// resolve to their role by name, as the session ARN carries no path.
	PrincipalExists(arn string) bool
}

// ValidateOptions configures [Validate].
type ValidateOptions struct {
	// MaxBytes is the size limit of rule 2 in UTF-8 bytes; 0 means
	// DefaultMaxBytes (32768).
	MaxBytes int
	// Directory answers rule 5; nil means every well-formed principal
	// exists.
	Directory Directory
	// Lockout, when non-nil, is the request used for the lockout safety
	// check (rule 7): the candidate policy, together with
	// IdentityPolicies, must let Lockout.Caller call kms:PutKeyPolicy on
	// Lockout.Resource. Validate overrides Action with "kms:PutKeyPolicy",
	// clears CrossAccountAllowed and drops
	// kms:BypassPolicyLockoutSafetyCheck from the context; the rest of the
	// request (context, resource account) is used as given.
	Lockout *Request
	// IdentityPolicies are the caller's IAM policies for rule 7, from
	// ParseIdentity.
	IdentityPolicies []*Document
	// Bypass is the request's BypassPolicyLockoutSafetyCheck: it skips
	// rule 7.
	Bypass bool
	// Member is the member name used in ValidationException messages;
	// "" means "policy".
	Member string
}

// Validate checks a key policy submitted to CreateKey, ReplicateKey or
// PutKeyPolicy with the rules of spec §7.3, in order, and returns the
// compiled document:
//
//  1. 1 to MaxLength characters, each U+0009, U+000A, U+000D or
//     U+0020..U+00FF: otherwise *kmserrors.ValidationException with the
//     model constraint message, for example "1 validation error detected:
//     Value '<text>' at 'policy' failed to satisfy constraint: Member must
//     satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+"
//     (only the length is reported when it is wrong).
//  2. At most opts.MaxBytes bytes: *kmserrors.LimitExceededException
//     MsgTooLarge.
//  3. and 4. The grammar of [Parse]: *kmserrors.MalformedPolicyDocumentException.
//  5. Every principal is well formed and exists (opts.Directory):
//     MalformedPolicyDocumentException MsgInvalidPrincipals.
//  6. No ForAllValues: qualifier on kms:EncryptionContext:<key> or
//     aws:RequestTag/<key>: MalformedPolicyDocumentException
//     "OverlyPermissiveCondition: ...".
//  7. Unless opts.Bypass, when opts.Lockout is set, [CheckLockout] must
//     allow: MalformedPolicyDocumentException MsgLockout.
func Validate(text string, opts ValidateOptions) (*Document, error) {
	member := opts.Member
	if member == "" {
		member = "policy"
	}
	if c := modelConstraint(text); c != "" {
		return nil, &kmserrors.ValidationException{Message: "1 validation error detected: Value '" + text +
			"' at '" + member + "' failed to satisfy constraint: " + c}
	}
	maxBytes := opts.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if len(text) > maxBytes {
		return nil, &kmserrors.LimitExceededException{Message: MsgTooLarge}
	}
	d, err := Parse(text)
	if err != nil {
		return nil, err
	}
	if !d.principalsExist(opts.Directory) {
		return nil, malformed(MsgInvalidPrincipals)
	}
	if d.rule6 != "" {
		return nil, malformed(d.rule6)
	}
	if opts.Lockout != nil && !opts.Bypass {
		r := lockoutRequest(opts.Lockout)
		if v := authorize(d, opts.IdentityPolicies, &r); v.effect != Allow {
			return nil, malformed(MsgLockout)
		}
	}
	return d, nil
}

// modelConstraint returns the first PolicyType constraint text violates,
// or "": the length (in characters) first, then the pattern.
func modelConstraint(text string) string {
	if text == "" {
		return "Member must have length greater than or equal to 1"
	}
	if len(text) > MaxLength && utf8.RuneCountInString(text) > MaxLength {
		return "Member must have length less than or equal to " + strconv.Itoa(MaxLength)
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c >= 0x20 && c < 0x7F, c == '\t', c == '\n', c == '\r', c == 0x7F:
		case c == 0xC2 || c == 0xC3:
			// U+0080..U+00FF: a two-byte sequence with this lead byte.
			if i+1 >= len(text) || text[i+1]&0xC0 != 0x80 {
				return "Member must satisfy regular expression pattern: " + Pattern
			}
			i++
		default:
			return "Member must satisfy regular expression pattern: " + Pattern
		}
	}
	return ""
}

// principalsExist checks rule 5 for every Principal and NotPrincipal.
func (d *Document) principalsExist(dir Directory) bool {
	for i := range d.stmts {
		st := &d.stmts[i]
		if !st.hasPrincipal || st.principal.star {
			continue
		}
		ps := &st.principal
		for j := range ps.aws {
			p := &ps.aws[j]
			switch p.kind {
			case awsInvalid:
				return false
			case awsAccount:
				// An account written as an ARN names its partition, which
				// must be the account's.
				if dir != nil && p.partition != "" && !dir.PrincipalExists(p.raw) ||
					dir != nil && p.partition == "" && !dir.AccountExists(p.account) {
					return false
				}
			case awsUser, awsRole, awsSession:
				if dir != nil && !dir.PrincipalExists(p.raw) {
					return false
				}
			}
		}
		for _, s := range ps.service {
			if !validService(s) {
				return false
			}
		}
		for _, s := range ps.federated {
			if s == "" || !plainText(s) {
				return false
			}
		}
		for _, s := range ps.canonical {
			if !validCanonical(s) {
				return false
			}
		}
	}
	return true
}

// CheckLockout runs the lockout safety check of spec §7.4: it authorizes
// a kms:PutKeyPolicy call by req.Caller on req.Resource against the
// candidate key policy and the caller's identity policies, with
// CrossAccountAllowed false and kms:BypassPolicyLockoutSafetyCheck removed
// from the context. The check passes when the result's Effect is Allow;
// otherwise the Decision says why. The account root user passes whenever
// the policy allows its account principal.
func CheckLockout(key *Document, identity []*Document, req *Request) Decision {
	if req == nil {
		return Decision{Effect: ImplicitDeny, Reason: "no request"}
	}
	r := lockoutRequest(req)
	return Authorize(key, identity, &r)
}

// lockoutRequest derives the hypothetical PutKeyPolicy request of the
// lockout check from req.
func lockoutRequest(req *Request) Request {
	r := *req
	r.Action = "kms:PutKeyPolicy"
	r.CrossAccountAllowed = false
	if r.Context.find("kms:bypasspolicylockoutsafetycheck") != nil {
		r.Context = r.Context.Without("kms:BypassPolicyLockoutSafetyCheck")
	}
	return r
}
