package region

import "strings"

// ValidAccountID reports whether s is an AWS account ID: exactly 12 ASCII
// digits.
func ValidAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// ARN is an Amazon Resource Name split into its fields:
// arn:Partition:Service:Region:Account:Resource.
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// ParseARN splits s into the fields of an ARN. It reports false unless s
// starts with "arn:" and has at least six colon-separated fields; everything
// after the fifth colon is the Resource, which may itself contain ':' and
// '/'. It checks nothing else: fields may be empty and need not name a known
// partition, service or Region. ParseARN does not allocate.
//
// If ParseARN(s) reports true, ARN.String returns s.
func ParseARN(s string) (ARN, bool) {
	rest, ok := strings.CutPrefix(s, "arn:")
	if !ok {
		return ARN{}, false
	}
	var a ARN
	if a.Partition, rest, ok = strings.Cut(rest, ":"); !ok {
		return ARN{}, false
	}
	if a.Service, rest, ok = strings.Cut(rest, ":"); !ok {
		return ARN{}, false
	}
	if a.Region, rest, ok = strings.Cut(rest, ":"); !ok {
		return ARN{}, false
	}
	if a.Account, a.Resource, ok = strings.Cut(rest, ":"); !ok {
		return ARN{}, false
	}
	return a, true
}

// String formats a as arn:Partition:Service:Region:Account:Resource. When
// the first four fields contain no ':', ParseARN(a.String()) returns a.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// KeyARN returns the ARN of a KMS key:
// arn:<partition>:kms:<r>:<account>:key/<keyID>. It does not validate its
// arguments and makes a single allocation.
func KeyARN(partition string, r ID, account, keyID string) string {
	var b strings.Builder
	b.Grow(len("arn:") + len(partition) + len(":kms:") + len(r) + len(":") + len(account) + len(":key/") + len(keyID))
	b.WriteString("arn:")
	b.WriteString(partition)
	b.WriteString(":kms:")
	b.WriteString(string(r))
	b.WriteString(":")
	b.WriteString(account)
	b.WriteString(":key/")
	b.WriteString(keyID)
	return b.String()
}

// AliasARN returns the ARN of a KMS alias:
// arn:<partition>:kms:<r>:<account>:<aliasName>. The alias name includes
// its "alias/" prefix. It does not validate its arguments.
func AliasARN(partition string, r ID, account, aliasName string) string {
	return "arn:" + partition + ":kms:" + string(r) + ":" + account + ":" + aliasName
}

// RootARN returns the ARN of an account's root principal:
// arn:<partition>:iam::<account>:root.
func RootARN(partition, account string) string {
	return "arn:" + partition + ":iam::" + account + ":root"
}

// KMSResource classifies the resource of a KMS ARN. If a.Service is "kms"
// and a.Resource is "key/<id>" with a non-empty id, it returns ("key", id).
// If a.Service is "kms" and a.Resource is "alias/<name>" with a non-empty
// name, it returns ("alias", a.Resource): the full alias name, prefix
// included, as aliases are named in the KMS API. Otherwise it returns
// ("", ""). It does not check the form of the key ID or alias name, nor the
// other fields of a.
func KMSResource(a ARN) (kind, id string) {
	if a.Service != "kms" {
		return "", ""
	}
	if keyID, ok := strings.CutPrefix(a.Resource, "key/"); ok && keyID != "" {
		return "key", keyID
	}
	if name, ok := strings.CutPrefix(a.Resource, "alias/"); ok && name != "" {
		return "alias", a.Resource
	}
	return "", ""
}
