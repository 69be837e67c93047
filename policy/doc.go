// Package policy parses, validates and evaluates KMS key policies and the
// IAM identity-based policies that KMS combines with them, and holds the
// default key policy ([Default]).
//
// [Parse] compiles a policy text into a [Document] once; [Validate] adds
// the remaining checks KMS makes on CreateKey, ReplicateKey and
// PutKeyPolicy. [Document.Evaluate] evaluates one document and
// [Authorize] combines a key policy with the caller's IAM policies the way
// KMS does; [Decision.Error] turns a denial into the AccessDeniedException
// KMS returns. Evaluating a compiled document never parses and, once the
// document's explanation texts exist (they are built on its first
// evaluation, in one step), never allocates. Documents are immutable and
// safe for concurrent use, and no function panics on any input.
//
// The package imports only the standard library and the kmsim packages
// errors (imported as kmserrors) and region.
//
// # Grammar
//
// Parse accepts the IAM JSON policy language as KMS accepts it (spec §7.1):
//
//	policy    = { ["Version": "2012-10-17" | "2008-10-17",] ["Id": string,]
//	              "Statement": statement | [statement, ...] }
//	statement = { ["Sid": string,] "Effect": "Allow" | "Deny",
//	              "Principal" | "NotPrincipal": principal,
//	              ["Action" | "NotAction": strings,]
//	              ["Resource" | "NotResource": strings,]
//	              ["Condition": { operator: { key: value | [value, ...] } }] }
//	principal = "*" | { "AWS" | "Service" | "Federated" | "CanonicalUser": strings }
//	strings   = string | [string, ...]
//
// The text must be one JSON object (RFC 8259, UTF-8) with nothing but
// white space after it. Element names, principal types, Effect values and
// operator names are case-sensitive. Every element that takes a list also
// takes a single string, and lists must not be empty. Each statement needs
// Effect and a principal; a statement without Action or Resource is
// accepted but never applies, as in KMS. Action values are "*" or
// "<service>:<name>" with '*' and '?' wildcards; Resource values are "*"
// (in a key policy: this key) or ARN patterns. Duplicate object members,
// unknown elements, values of the wrong JSON type, both Principal and
// NotPrincipal (or Action and NotAction, Resource and NotResource), an
// empty Statement array, unknown condition operators, condition keys
// without a "<service>:" prefix and condition values the operator cannot
// use (a Numeric value that is not a number, a Date that is neither RFC
// 3339 nor epoch seconds, a Bool or Null value other than true or false,
// an IpAddress value that is not an address or CIDR block, a BinaryEquals
// value that is not base64) are rejected with a
// *kmserrors.MalformedPolicyDocumentException naming the element and the
// statement as "Statement #<index> (\"<Sid>\")". The only message of rule
// 4, a statement without Principal or NotPrincipal, is reported after all
// other grammar problems. Sids may repeat and may contain spaces.
//
// Principal values are not checked by Parse beyond their JSON type;
// Validate rejects malformed and unknown ones (rule 5). The AWS principal
// type accepts "*", 12-digit account IDs and arn:<p>:iam::<acct>:root (the
// account principal), arn:<p>:iam::<acct>:user/<path><name>,
// arn:<p>:iam::<acct>:role/<path><name> and
// arn:<p>:sts::<acct>:assumed-role/<role>/<session>, with a known
// partition and no wildcards; IAM groups are invalid. Service principals
// are lower-case DNS names ("cloudtrail.amazonaws.com"), Federated
// principals any text without white space or wildcards, CanonicalUser
// principals 64 hex digits.
//
// Condition operators are StringEquals, StringNotEquals,
// StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike,
// StringNotLike, NumericEquals, NumericNotEquals, NumericLessThan,
// NumericLessThanEquals, NumericGreaterThan, NumericGreaterThanEquals,
// DateEquals, DateNotEquals, DateLessThan, DateLessThanEquals,
// DateGreaterThan, DateGreaterThanEquals, Bool, BinaryEquals, IpAddress,
// NotIpAddress, ArnEquals, ArnLike, ArnNotEquals, ArnNotLike and Null, each
// but Null with an optional IfExists suffix and ForAnyValue: or
// ForAllValues: prefix. Values may be JSON strings, numbers or Booleans.
//
// Policy variables are expanded only when Version is "2012-10-17", in
// Resource and NotResource values and in the values of String* and Arn*
// conditions. The supported set is ${<key>} for any condition key of the
// request context (such as ${aws:username}, ${aws:userid},
// ${aws:PrincipalAccount}, ${aws:PrincipalTag/team} or
// ${kms:CallerAccount}; names are case-insensitive), ${<key>, 'default'}
// with a default used when the key is absent, and ${*}, ${?} and ${$} for
// a literal '*', '?' and '$'. Substituted text is literal: wildcards in it
// do not match anything else. A variable whose key is absent (and has no
// default) or has several values makes its value match nothing. A "${"
// that does not open a well-formed variable is ordinary text. With Version
// 2008-10-17 or no Version every value is literal.
//
// [Document.String] writes a canonical form that parses back into an
// Equal document.
//
// # Validation
//
// [Validate] applies the rules of spec §7.3 in order: (1) length 1 to
// 131072 characters from U+0009, U+000A, U+000D and U+0020..U+00FF
// (*kmserrors.ValidationException with the model constraint message of
// member "policy"); (2) size at most 32768 bytes, configurable
// (*kmserrors.LimitExceededException); (3, 4) the grammar above; (5) every
// principal is well formed and exists according to a caller-supplied
// [Directory] ("Policy contains a statement with one or more invalid
// principals."); (6) no ForAllValues: qualifier on the single-valued keys
// kms:EncryptionContext:<key> ("... without the specified encryption
// context or with an unspecified encryption context ...") or
// aws:RequestTag/<key> (the same with "tag"); (7) the lockout safety
// check (section Lockout). Rules 3 to 7 return
// *kmserrors.MalformedPolicyDocumentException.
//
// # Evaluation
//
// A [Request] names the action, the caller ([Principal]), the key ARN
// and a [Context] of condition-key values. [Document.Evaluate] returns a
// [Decision]: Deny if a Deny statement matches, else Allow if an Allow
// statement matches, else ImplicitDeny, with the deciding statement and a
// reason such as "statement 'Allow use of the key' matched but condition
// StringEquals kms:ViaService failed". Statement order never changes the
// Effect.
//
// A statement matches when its principal names the caller, its action and
// resource cover the request and all its conditions hold. A principal
// names the caller when it is "*" (or AWS "*"), the caller's user ARN, its
// role ARN or its session ARN (a role matches all its sessions), or the
// caller's account (account ID or root ARN); for the account root user the
// account principal is the caller itself, for users and roles it delegates
// to IAM policies (see [Authorize]). NotPrincipal matches every caller it
// does not name. Actions match case-insensitively with '*' and '?'
// ("kms:ReEncrypt*" covers kms:ReEncryptFrom and kms:ReEncryptTo).
// Resource "*" matches every resource; ARN patterns match field by field
// like ArnLike.
//
// Conditions follow spec §7.1: all operators and all keys of a Condition
// block must hold; several values of one key OR, and a negated operator
// (StringNotEquals, StringNotEqualsIgnoreCase, StringNotLike,
// NumericNotEquals, DateNotEquals, NotIpAddress, ArnNotEquals, ArnNotLike)
// holds when no value matches. Key names are case-insensitive, values
// case-sensitive except with *IgnoreCase. When the key is absent from the
// request, positive operators fail, negated ones hold, ...IfExists holds,
// ForAllValues: holds, ForAnyValue: fails and Null holds for "true". When
// present, ForAnyValue: needs one request value to satisfy the operator,
// ForAllValues: every request value; without a qualifier a positive
// operator needs one request value to match one policy value and a
// negated one needs none to. Numeric compares as float64, Date accepts
// RFC 3339 ("2024-05-01T12:00:00Z", fractions and offsets allowed), a date
// alone ("2024-05-01") or epoch seconds on both sides, Bool accepts "true"
// and "false" in any case or JSON Booleans, BinaryEquals compares the
// request value, which must be standard padded base64, with the decoded
// and re-encoded policy value, IpAddress matches addresses inside a CIDR
// block (net/netip; IPv4-mapped IPv6 addresses count as IPv4), and Arn*
// compares the six colon-separated fields separately, each with '*' and
// '?' (ArnEquals and ArnLike behave alike, as in IAM).
//
// [Authorize] implements spec §7.6 (explicit deny in any policy wins;
// same-account, cross-account and IAM-only rules) and [Decision.Error]
// builds the AccessDeniedException message, choosing its suffix from
// the Effect and Source of the decision.
//
// # Lockout
//
// [CheckLockout] is the safety check of spec §7.4 that Validate runs as
// rule 7 when [ValidateOptions.Lockout] is set and Bypass is false: the
// candidate key policy, combined by Authorize with the caller's identity
// policies, must allow the caller to call kms:PutKeyPolicy on the key
// later, in the current request context minus
// kms:BypassPolicyLockoutSafetyCheck. A policy that only delegates to the
// account passes for IAM users and roles only if one of their identity
// policies allows kms:PutKeyPolicy; the account root user passes whenever
// the account principal is allowed. A failure is the
// MalformedPolicyDocumentException "The new key policy will not allow you
// to update the key policy in the future.".
package policy
