package policy

import (
	"strconv"
	"strings"

	"github.com/kmsim/kmsim/region"
)

// PrincipalKind says what kind of IAM identity a [Principal] is.
type PrincipalKind int

// The kinds of callers. The zero value is not a valid kind; such a caller
// matches only "*" principals.
const (
	Root PrincipalKind = iota + 1 // the account root user
	User                          // an IAM user
	Role                          // an IAM role, or a session of one
)

// String returns "Root", "User", "Role" or "PrincipalKind(n)".
func (k PrincipalKind) String() string {
	switch k {
	case Root:
		return "Root"
	case User:
		return "User"
	case Role:
		return "Role"
	}
	return "PrincipalKind(" + strconv.Itoa(int(k)) + ")"
}

// Principal is the caller of a request.
type Principal struct {
	// ARN is the caller's ARN: arn:<p>:iam::<acct>:root, an IAM user ARN,
	// a role ARN or, for a role session,
	// arn:<p>:sts::<acct>:assumed-role/<RoleName>/<SessionName>. It is the
	// ARN quoted in AccessDeniedException messages.
	ARN string
	// Account is the caller's 12-digit account ID.
	Account string
	// Partition is the caller's ARN partition ("aws", ...). When empty,
	// principals of any partition match the caller's account.
	Partition string
	// Kind is Root, User or Role.
	Kind PrincipalKind
	// RoleARN is, for a Role, the ARN of the role, path included
	// (arn:<p>:iam::<acct>:role/<path>Name). For a role session it differs
	// from ARN; key policies naming the role match all of its sessions.
	RoleARN string
}

// ParsePrincipal builds a Principal from a caller ARN: an account root
// (arn:<p>:iam::<acct>:root), an IAM user (arn:<p>:iam::<acct>:user/...),
// an IAM role (arn:<p>:iam::<acct>:role/...; RoleARN is the ARN) or a role
// session (arn:<p>:sts::<acct>:assumed-role/<Role>/<Session>; RoleARN is
// arn:<p>:iam::<acct>:role/<Role>, which is right only for roles without a
// path; set RoleARN yourself otherwise). It reports false for anything else.
func ParsePrincipal(arn string) (Principal, bool) {
	a, ok := region.ParseARN(arn)
	if !ok || a.Region != "" || !region.ValidAccountID(a.Account) || a.Partition == "" {
		return Principal{}, false
	}
	p := Principal{ARN: arn, Account: a.Account, Partition: a.Partition}
	switch a.Service {
	case "iam":
		switch {
		case a.Resource == "root":
			p.Kind = Root
		case validIAMName(a.Resource, "user/"):
			p.Kind = User
		case validIAMName(a.Resource, "role/"):
			p.Kind = Role
			p.RoleARN = arn
		default:
			return Principal{}, false
		}
	case "sts":
		role, session, ok := sessionParts(a.Resource)
		if !ok {
			return Principal{}, false
		}
		_ = session
		p.Kind = Role
		p.RoleARN = "arn:" + a.Partition + ":iam::" + a.Account + ":role/" + role
	default:
		return Principal{}, false
	}
	return p, true
}

// validIAMName reports whether res is prefix followed by an optional path
// and a non-empty name, with no wildcard or white space.
func validIAMName(res, prefix string) bool {
	rest, ok := strings.CutPrefix(res, prefix)
	if !ok || rest == "" || rest[len(rest)-1] == '/' {
		return false
	}
	return plainText(rest)
}

// sessionParts splits assumed-role/<role>/<session>.
func sessionParts(res string) (role, session string, ok bool) {
	rest, ok := strings.CutPrefix(res, "assumed-role/")
	if !ok {
		return "", "", false
	}
	role, session, ok = strings.Cut(rest, "/")
	if !ok || role == "" || session == "" || !plainText(rest) {
		return "", "", false
	}
	return role, session, true
}

// plainText reports whether s has no wildcard, white space or control
// character.
func plainText(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '*' || c == '?' || c <= ' ' || c == 0x7F:
			return false
		}
	}
	return true
}

// awsKind classifies an AWS principal value.
type awsKind uint8

const (
	awsInvalid awsKind = iota // not a principal KMS accepts (rule 5)
	awsAny                    // "*"
	awsAccount                // "111122223333" or arn:<p>:iam::111122223333:root
	awsUser                   // arn:<p>:iam::<acct>:user/...
	awsRole                   // arn:<p>:iam::<acct>:role/...
	awsSession                // arn:<p>:sts::<acct>:assumed-role/<role>/<session>
)

// awsPrincipal is one compiled value of the AWS principal type.
type awsPrincipal struct {
	raw       string
	kind      awsKind
	partition string // "" for a bare account ID
	account   string
}

func compileAWS(v string) awsPrincipal {
	p := awsPrincipal{raw: v}
	switch {
	case v == "*":
		p.kind = awsAny
		return p
	case region.ValidAccountID(v):
		p.kind, p.account = awsAccount, v
		return p
	}
	a, ok := region.ParseARN(v)
	if !ok || a.Region != "" || !region.ValidAccountID(a.Account) || !plainText(v) {
		return p
	}
	if !knownPartition(a.Partition) {
		return p
	}
	p.partition, p.account = a.Partition, a.Account
	switch a.Service {
	case "iam":
		switch {
		case a.Resource == "root":
			p.kind = awsAccount
		case validIAMName(a.Resource, "user/"):
			p.kind = awsUser
		case validIAMName(a.Resource, "role/"):
			p.kind = awsRole
		}
	case "sts":
		if _, _, ok := sessionParts(a.Resource); ok {
			p.kind = awsSession
		}
	}
	return p
}

// partitions holds the IDs of the known partitions, for knownPartition.
var partitions = func() []string {
	var ids []string
	for _, p := range region.Partitions() {
		ids = append(ids, p.ID)
	}
	return ids
}()

// knownPartition reports whether id is an ARN partition of the region
// package, without the copying region.LookupPartition does.
func knownPartition(id string) bool {
	for _, p := range partitions {
		if p == id {
			return true
		}
	}
	return false
}

// principalSet is the compiled value of a Principal or NotPrincipal
// element.
type principalSet struct {
	star      bool // the element is the string "*"
	aws       []awsPrincipal
	service   []string
	federated []string
	canonical []string
}

// Principal type names, in canonical (sorted) order.
var principalTypes = [...]string{"AWS", "CanonicalUser", "Federated", "Service"}

func (ps *principalSet) list(t int) []string {
	switch t {
	case 1:
		return ps.canonical
	case 2:
		return ps.federated
	case 3:
		return ps.service
	}
	return nil
}

func (ps *principalSet) write(b *strings.Builder) {
	if ps.star {
		b.WriteString(`"*"`)
		return
	}
	b.WriteByte('{')
	sep := ""
	if len(ps.aws) > 0 {
		b.WriteString(`"AWS":`)
		writeList(b, len(ps.aws), func(i int) string { return ps.aws[i].raw })
		sep = ","
	}
	for t := 1; t < len(principalTypes); t++ {
		l := ps.list(t)
		if len(l) == 0 {
			continue
		}
		b.WriteString(sep)
		writeJSONString(b, principalTypes[t])
		b.WriteByte(':')
		writeList(b, len(l), func(i int) string { return l[i] })
		sep = ","
	}
	b.WriteByte('}')
}

// principalMatch is how a statement's principal matches a caller.
type principalMatch uint8

const (
	matchNone    principalMatch = iota
	matchDirect                 // the caller itself, its role, "*", or the root user through its account
	matchAccount                // an IAM user or role through its account principal
)

// match reports how ps (as a Principal element) matches the caller.
// Service, Federated and CanonicalUser principals never match: callers are
// IAM identities.
func (ps *principalSet) match(c *Principal) principalMatch {
	if ps.star {
		return matchDirect
	}
	best := matchNone
	for i := range ps.aws {
		p := &ps.aws[i]
		switch p.kind {
		case awsAny:
			return matchDirect
		case awsAccount:
			if p.account == c.Account && c.Account != "" &&
				(p.partition == "" || c.Partition == "" || p.partition == c.Partition) {
				if c.Kind == Root {
					return matchDirect
				}
				best = matchAccount
			}
		case awsUser:
			if c.Kind == User && p.raw == c.ARN {
				return matchDirect
			}
		case awsRole:
			if c.Kind == Role && (p.raw == c.RoleARN || p.raw == c.ARN) {
				return matchDirect
			}
		case awsSession:
			if c.Kind == Role && p.raw == c.ARN {
				return matchDirect
			}
		}
	}
	return best
}

// hasAccount reports whether ps names an account principal.
func (ps *principalSet) hasAccount() bool {
	for i := range ps.aws {
		if ps.aws[i].kind == awsAccount {
			return true
		}
	}
	return false
}

// validService reports whether s looks like a service principal
// (lower-case DNS name such as "cloudtrail.amazonaws.com").
func validService(s string) bool {
	if s == "" || !strings.Contains(s, ".") || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// validCanonical reports whether s is a canonical user ID: 64 hex digits.
func validCanonical(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
