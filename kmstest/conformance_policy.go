package kmstest

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsim/kmsim/policy"
)

// ---- Key policy helpers -------------------------------------------------

// owner returns the partition and account of an ARN.
func owner(arn string) (partition, account string) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 {
		return "", ""
	}
	return parts[1], parts[4]
}

// rootOf returns the account principal (arn:<p>:iam::<account>:root) of
// the account that owns ARN arn.
func rootOf(arn string) string {
	p, a := owner(arn)
	return "arn:" + p + ":iam::" + a + ":root"
}

// defaultPolicyOf returns the default key policy of the account that owns
// ARN arn, as KMS returns it.
func defaultPolicyOf(arn string) string { return policy.Default(owner(arn)) }

// statement is one statement of a key policy a scenario writes.
type statement struct {
	sid       string
	effect    string // "Allow" or "Deny"
	principal string // an AWS principal ARN
	actions   []string
}

// allowAll is the statement that keeps a key manageable by its account,
// as the default policy's does.
func allowAll(sid, root string) statement {
	return statement{sid: sid, effect: "Allow", principal: root, actions: []string{"kms:*"}}
}

// prettyPolicy writes a key policy in the layout of KMS's default key
// policy (spec §5.4): two-space indent, spaces around colons, "[ {" and
// "} ]". KMS may store submitted policies re-formatted in that layout
// (spec §11 #27), so a policy written this way comes back unchanged
// either way.
func prettyPolicy(id string, stmts ...statement) string {
	var b strings.Builder
	b.WriteString("{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : " + jsonQuote(id) + ",\n  \"Statement\" : [ ")
	for i, st := range stmts {
		if i > 0 {
			b.WriteString(", ")
		}
		action := jsonQuote(st.actions[0])
		if len(st.actions) > 1 {
			quoted := make([]string, len(st.actions))
			for j, a := range st.actions {
				quoted[j] = jsonQuote(a)
			}
			action = "[ " + strings.Join(quoted, ", ") + " ]"
		}
		b.WriteString("{\n    \"Sid\" : " + jsonQuote(st.sid) +
			",\n    \"Effect\" : " + jsonQuote(st.effect) +
			",\n    \"Principal\" : {\n      \"AWS\" : " + jsonQuote(st.principal) +
			"\n    },\n    \"Action\" : " + action +
			",\n    \"Resource\" : \"*\"\n  }")
	}
	b.WriteString(" ]\n}")
	return b.String()
}

func jsonQuote(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err) // a string always marshals
	}
	return string(b)
}

// lockoutPolicy lets the account read, describe and delete the key but
// not change its policy: it fails the lockout safety check for every
// caller. It keeps ScheduleKeyDeletion so that the live harness can
// still clean such a key up.
func lockoutPolicy(root string) string {
	return prettyPolicy("kmsim-conformance-lockout", statement{
		sid: "Read and delete only", effect: "Allow", principal: root,
		actions: []string{"kms:Describe*", "kms:Get*", "kms:List*", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"},
	})
}

// getPolicy returns the key policy of key id in region, asking for
// policyName (nil: omitted), and checks the PolicyName KMS reports.
func (s *session) getPolicy(region, id string, policyName *string) string {
	s.t.Helper()
	out, err := s.client(region).GetKeyPolicy(s.ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(id), PolicyName: policyName})
	s.must(err, "GetKeyPolicy of %s in %s", id, region)
	if got := aws.ToString(out.PolicyName); got != "default" {
		s.t.Errorf("GetKeyPolicy of %s in %s returned PolicyName %q", id, region, got)
	}
	return aws.ToString(out.Policy)
}

// wantPolicy checks the key policy of key id in region.
func (s *session) wantPolicy(region, id, want, what string) {
	s.t.Helper()
	if got := s.getPolicy(region, id, nil); got != want {
		s.t.Errorf("%s: key %s in %s has policy\n%s\nwant\n%s", what, id, region, got, want)
	}
}

// putPolicy calls PutKeyPolicy through c without a PolicyName.
func (s *session) putPolicy(c API, id, text string, bypass bool) error {
	_, err := c.PutKeyPolicy(s.ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(id), Policy: aws.String(text), BypassPolicyLockoutSafetyCheck: bypass})
	return err
}

// wantNoKey checks that key id does not exist in region.
func (s *session) wantNoKey(region, id, what string) {
	s.t.Helper()
	_, err := s.client(region).DescribeKey(s.ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	wantError[*types.NotFoundException](s, err, "%s: DescribeKey %s in %s", what, id, region)
}

// ---- KeyPolicy ----------------------------------------------------------

func keyPolicyDefault(s *session) {
	for _, in := range []*kms.CreateKeyInput{
		{Description: aws.String("kmsim conformance")},
		{Description: aws.String("kmsim conformance"), MultiRegion: aws.Bool(true)},
	} {
		k := s.createKey(home, in)
		id, want := *k.KeyId, defaultPolicyOf(*k.Arn)
		for _, name := range []*string{nil, aws.String("default")} {
			if got := s.getPolicy(home, id, name); got != want {
				s.t.Errorf("GetKeyPolicy (PolicyName %q) of a new key returned\n%s\nwant the default policy\n%s", aws.ToString(name), got, want)
			}
		}
		if got := s.getPolicy(home, *k.Arn, nil); got != want {
			s.t.Errorf("GetKeyPolicy by ARN returned\n%s", got)
		}
		for _, limit := range []*int32{nil, aws.Int32(1)} {
			out, err := s.client(home).ListKeyPolicies(s.ctx, &kms.ListKeyPoliciesInput{KeyId: aws.String(id), Limit: limit})
			s.must(err, "ListKeyPolicies")
			if !slices.Equal(out.PolicyNames, []string{"default"}) || out.Truncated || out.NextMarker != nil {
				s.t.Errorf("ListKeyPolicies (Limit %d) returned %q, Truncated %v, NextMarker %q",
					aws.ToInt32(limit), out.PolicyNames, out.Truncated, aws.ToString(out.NextMarker))
			}
		}
	}
}

func keyPolicyPutGetRoundTrip(s *session) {
	k := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	id, root := *k.KeyId, rootOf(*k.Arn)

	first := prettyPolicy("kmsim-conformance-1", allowAll("First", root))
	s.must(s.putPolicy(s.client(home), id, first, false), "PutKeyPolicy without a PolicyName")
	s.wantPolicy(home, id, first, "after PutKeyPolicy")

	second := prettyPolicy("kmsim-conformance-2", allowAll("Second", root),
		statement{sid: "Describe", effect: "Allow", principal: root, actions: []string{"kms:DescribeKey", "kms:GetKeyPolicy"}})
	_, err := s.client(home).PutKeyPolicy(s.ctx, &kms.PutKeyPolicyInput{KeyId: k.Arn, PolicyName: aws.String("default"), Policy: aws.String(second)})
	s.must(err, "PutKeyPolicy by ARN with PolicyName default")
	if got := s.getPolicy(home, id, aws.String("default")); got != second {
		s.t.Errorf("after the second PutKeyPolicy the policy is\n%s\nwant\n%s", got, second)
	}
	out, err := s.client(home).ListKeyPolicies(s.ctx, &kms.ListKeyPoliciesInput{KeyId: aws.String(id)})
	s.must(err, "ListKeyPolicies")
	if !slices.Equal(out.PolicyNames, []string{"default"}) {
		s.t.Errorf("ListKeyPolicies after PutKeyPolicy returned %q", out.PolicyNames)
	}

	// CreateKey stores its Policy the same way.
	third := prettyPolicy("kmsim-conformance-3", allowAll("Third", root))
	k2 := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance"), Policy: aws.String(third)})
	s.wantPolicy(home, *k2.KeyId, third, "CreateKey with a Policy")
	s.wantPolicy(home, id, second, "another key's CreateKey")
}

func keyPolicyOtherPolicyName(s *session) {
	k := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	id := *k.KeyId
	text := prettyPolicy("kmsim-conformance", allowAll("Other name", rootOf(*k.Arn)))

	// A well-formed name other than "default" names no policy.
	_, err := s.client(home).GetKeyPolicy(s.ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(id), PolicyName: aws.String("other")})
	wantError[*types.NotFoundException](s, err, "GetKeyPolicy with PolicyName other")
	_, err = s.client(home).PutKeyPolicy(s.ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(id), PolicyName: aws.String("other"), Policy: aws.String(text)})
	wantError[*types.NotFoundException](s, err, "PutKeyPolicy with PolicyName other")

	// Names outside the model's pattern or length are rejected first.
	for _, name := range []string{"not-a-word", "", strings.Repeat("a", 129)} {
		_, err = s.client(home).GetKeyPolicy(s.ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(id), PolicyName: aws.String(name)})
		s.wantCode(err, "ValidationException", "GetKeyPolicy with PolicyName %q", name)
		_, err = s.client(home).PutKeyPolicy(s.ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(id), PolicyName: aws.String(name), Policy: aws.String(text)})
		s.wantCode(err, "ValidationException", "PutKeyPolicy with PolicyName %q", name)
	}
	s.wantPolicy(home, id, defaultPolicyOf(*k.Arn), "after PutKeyPolicy with other names")

	// Keys that do not exist have no policy either.
	_, err = s.client(home).GetKeyPolicy(s.ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(missingKeyID)})
	wantError[*types.NotFoundException](s, err, "GetKeyPolicy of a key that does not exist")
	_, err = s.client(home).ListKeyPolicies(s.ctx, &kms.ListKeyPoliciesInput{KeyId: aws.String(missingKeyID)})
	wantError[*types.NotFoundException](s, err, "ListKeyPolicies of a key that does not exist")
}

func keyPolicyMalformed(s *session) {
	id, arn := s.family()
	root := rootOf(arn)
	valid := prettyPolicy("kmsim-conformance", allowAll("Valid", root))
	p, a := owner(arn)
	for _, c := range []struct{ what, text string }{
		{"not JSON", "not a policy"},
		{"a JSON array", "[]"},
		{"no Statement", `{"Version":"2012-10-17"}`},
		{"an empty Statement list", `{"Version":"2012-10-17","Statement":[]}`},
		{"a statement without a principal", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}`},
		{"an unknown Effect", strings.Replace(valid, `"Allow"`, `"Permit"`, 1)},
		{"an unknown Version", strings.Replace(valid, "2012-10-17", "2024-01-01", 1)},
		{"a principal that does not exist", strings.Replace(valid, root, "arn:"+p+":iam::"+a+":user/kmsim-conformance-nobody", 1)},
	} {
		err := s.putPolicy(s.client(home), id, c.text, false)
		wantError[*types.MalformedPolicyDocumentException](s, err, "PutKeyPolicy with %s", c.what)
		_, err = s.client(home).CreateKey(s.ctx, &kms.CreateKeyInput{Description: aws.String("kmsim conformance"), Policy: aws.String(c.text)})
		wantError[*types.MalformedPolicyDocumentException](s, err, "CreateKey with %s", c.what)
		_, err = s.client(home).ReplicateKey(s.ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String(east), Policy: aws.String(c.text)})
		wantError[*types.MalformedPolicyDocumentException](s, err, "ReplicateKey with %s", c.what)
	}
	s.wantPolicy(home, id, defaultPolicyOf(arn), "after rejected policies")
	s.wantNoKey(east, id, "after rejected ReplicateKey calls")
	s.wantRole(home, s.describe(home, id), types.MultiRegionKeyTypePrimary, arn)
}

func keyPolicyLockout(s *session) {
	k := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	id := *k.KeyId
	lockout := lockoutPolicy(rootOf(*k.Arn))

	err := s.putPolicy(s.client(home), id, lockout, false)
	wantError[*types.MalformedPolicyDocumentException](s, err, "PutKeyPolicy with a policy that locks the caller out")
	s.wantPolicy(home, id, defaultPolicyOf(*k.Arn), "after the refused PutKeyPolicy")
	_, err = s.client(home).CreateKey(s.ctx, &kms.CreateKeyInput{Description: aws.String("kmsim conformance"), Policy: aws.String(lockout)})
	wantError[*types.MalformedPolicyDocumentException](s, err, "CreateKey with a policy that locks the caller out")

	// With the bypass the policy is taken, and then does what it says:
	// the key can be read but its policy not changed.
	s.must(s.putPolicy(s.client(home), id, lockout, true), "PutKeyPolicy with BypassPolicyLockoutSafetyCheck")
	s.wantPolicy(home, id, lockout, "after the bypassed PutKeyPolicy")
	err = s.putPolicy(s.client(home), id, defaultPolicyOf(*k.Arn), true)
	s.wantCode(err, "AccessDeniedException", "PutKeyPolicy of a key whose policy allows no PutKeyPolicy")
	s.wantState(home, id, types.KeyStateEnabled)

	bypassed := s.createKey(home, &kms.CreateKeyInput{
		Description: aws.String("kmsim conformance"), Policy: aws.String(lockout), BypassPolicyLockoutSafetyCheck: true,
	})
	s.wantPolicy(home, *bypassed.KeyId, lockout, "CreateKey with the bypass")
	_, err = s.client(home).DisableKey(s.ctx, &kms.DisableKeyInput{KeyId: bypassed.KeyId})
	s.wantCode(err, "AccessDeniedException", "DisableKey of a key whose policy allows no DisableKey")
}

func keyPolicyTooLarge(s *session) {
	id, arn := s.family()
	valid := prettyPolicy("kmsim-conformance", allowAll("Large", rootOf(arn)))
	// Over the 32 KB quota but within the model's 131072 characters:
	// LimitExceededException, not ValidationException.
	large := valid + strings.Repeat(" ", 40000-len(valid))
	err := s.putPolicy(s.client(home), id, large, false)
	wantError[*types.LimitExceededException](s, err, "PutKeyPolicy with a policy of %d bytes", len(large))
	_, err = s.client(home).CreateKey(s.ctx, &kms.CreateKeyInput{Description: aws.String("kmsim conformance"), Policy: aws.String(large)})
	wantError[*types.LimitExceededException](s, err, "CreateKey with a policy of %d bytes", len(large))
	_, err = s.client(home).ReplicateKey(s.ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String(east), Policy: aws.String(large)})
	wantError[*types.LimitExceededException](s, err, "ReplicateKey with a policy of %d bytes", len(large))
	s.wantPolicy(home, id, defaultPolicyOf(arn), "after the rejected PutKeyPolicy")
	s.wantNoKey(east, id, "after the rejected ReplicateKey")

	// Exactly at the quota is fine.
	full := valid + strings.Repeat(" ", policy.DefaultMaxBytes-len(valid))
	s.must(s.putPolicy(s.client(home), id, full, false), "PutKeyPolicy with a policy of %d bytes", len(full))
}

func keyPolicyReplicaPolicyIndependent(s *session) {
	p := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance"), MultiRegion: aws.Bool(true)})
	id, arn, root := *p.KeyId, *p.Arn, rootOf(*p.Arn)
	primary := prettyPolicy("kmsim-conformance-primary", allowAll("Primary", root))
	s.must(s.putPolicy(s.client(home), id, primary, false), "PutKeyPolicy on the primary")

	replica := prettyPolicy("kmsim-conformance-replica", allowAll("Replica", root))
	out, err := s.client(home).ReplicateKey(s.ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String(east), Policy: aws.String(replica)})
	s.must(err, "ReplicateKey with a Policy")
	if got := aws.ToString(out.ReplicaPolicy); got != replica {
		s.t.Errorf("ReplicateKey with a Policy returned ReplicaPolicy\n%s\nwant\n%s", got, replica)
	}
	// Without a Policy the replica gets the default policy, never the
	// primary's.
	bare := s.replicate(home, id, south)
	if got := aws.ToString(bare.ReplicaPolicy); got != defaultPolicyOf(arn) {
		s.t.Errorf("ReplicateKey without a Policy returned ReplicaPolicy\n%s\nwant the default policy", got)
	}
	s.settle()
	s.wantPolicy(home, id, primary, "primary after ReplicateKey")
	s.wantPolicy(east, id, replica, "replica made with a Policy")
	s.wantPolicy(south, id, defaultPolicyOf(arn), "replica made without a Policy")

	// PutKeyPolicy changes one key only, whichever it is.
	changed := prettyPolicy("kmsim-conformance-changed", allowAll("Changed replica", root))
	s.must(s.putPolicy(s.client(east), id, changed, false), "PutKeyPolicy on the replica")
	s.wantPolicy(east, id, changed, "replica after its PutKeyPolicy")
	s.wantPolicy(home, id, primary, "primary after the replica's PutKeyPolicy")
	s.wantPolicy(south, id, defaultPolicyOf(arn), "other replica after the replica's PutKeyPolicy")

	again := prettyPolicy("kmsim-conformance-again", allowAll("Changed primary", root))
	s.must(s.putPolicy(s.client(home), id, again, false), "PutKeyPolicy on the primary")
	s.wantPolicy(home, id, again, "primary after its PutKeyPolicy")
	s.wantPolicy(east, id, changed, "replica after the primary's PutKeyPolicy")
	s.wantPolicy(south, id, defaultPolicyOf(arn), "other replica after the primary's PutKeyPolicy")
}

// ---- Authorization ------------------------------------------------------

// iamPolicy returns an IAM identity policy of the given statements.
func iamPolicy(stmts ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

// iamStatement returns an identity-policy statement for actions on
// resource, with an optional Condition block (JSON object text).
func iamStatement(effect, resource, condition string, actions ...string) string {
	quoted := make([]string, len(actions))
	for i, a := range actions {
		quoted[i] = jsonQuote(a)
	}
	st := `{"Effect":` + jsonQuote(effect) + `,"Action":[` + strings.Join(quoted, ",") + `],"Resource":` + jsonQuote(resource)
	if condition != "" {
		st += `,"Condition":` + condition
	}
	return st + "}"
}

// user adds the IAM user kmsim-conformance/<name> to the account that owns
// ARN ref, with an identity policy (none when ""), and returns its ARN.
func (s *session) user(ref, name, identityPolicy string) string {
	s.t.Helper()
	p, a := owner(ref)
	arn := "arn:" + p + ":iam::" + a + ":user/kmsim-conformance/" + name
	s.must(s.principals.AddPrincipal(s.ctx, arn, identityPolicy), "AddPrincipal %s", arn)
	return arn
}

// as returns a client calling in region as principal.
func (s *session) as(region, principal string) API { return s.principals.ClientAs(region, principal) }

// denied checks that err is AccessDeniedException, which the KMS model
// does not declare: the SDK reports it by its code.
func (s *session) denied(err error, format string, args ...any) {
	s.t.Helper()
	s.wantCode(err, "AccessDeniedException", format, args...)
}

func authzDeniedWithoutIAM(s *session) {
	id, arn := s.family()
	srk := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	u := s.as(home, s.user(arn, "no-policy", ""))

	for _, key := range []string{id, *srk.KeyId} {
		_, err := u.DescribeKey(s.ctx, &kms.DescribeKeyInput{KeyId: aws.String(key)})
		s.denied(err, "DescribeKey by a user without IAM policies")
		_, err = u.GetKeyPolicy(s.ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(key)})
		s.denied(err, "GetKeyPolicy by a user without IAM policies")
		_, err = u.ListKeyPolicies(s.ctx, &kms.ListKeyPoliciesInput{KeyId: aws.String(key)})
		s.denied(err, "ListKeyPolicies by a user without IAM policies")
		_, err = u.PutKeyPolicy(s.ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(key), Policy: aws.String(lockoutPolicy(rootOf(arn)))})
		s.denied(err, "PutKeyPolicy by a user without IAM policies")
		_, err = u.DisableKey(s.ctx, &kms.DisableKeyInput{KeyId: aws.String(key)})
		s.denied(err, "DisableKey by a user without IAM policies")
		_, err = u.ScheduleKeyDeletion(s.ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(key), PendingWindowInDays: aws.Int32(7)})
		s.denied(err, "ScheduleKeyDeletion by a user without IAM policies")
		_, err = u.TagResource(s.ctx, &kms.TagResourceInput{KeyId: aws.String(key), Tags: []types.Tag{tag("a", "b")}})
		s.denied(err, "TagResource by a user without IAM policies")
		s.wantState(home, key, types.KeyStateEnabled)
		s.wantPolicy(home, key, defaultPolicyOf(arn), "after denied calls")
	}
	_, err := u.ReplicateKey(s.ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String(east)})
	s.denied(err, "ReplicateKey by a user without IAM policies")
	_, err = u.CreateKey(s.ctx, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	s.denied(err, "CreateKey by a user without IAM policies")
	_, err = u.ListKeys(s.ctx, &kms.ListKeysInput{})
	s.denied(err, "ListKeys by a user without IAM policies")
	s.wantNoKey(east, id, "after the denied ReplicateKey")
	if tags := s.listTags(home, *srk.KeyId); len(tags) != 0 {
		s.t.Errorf("denied TagResource left tags %v", tagMap(tags))
	}
}

func authzAllowedByIAM(s *session) {
	a := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	b := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	arnA := *a.Arn
	u := s.as(home, s.user(arnA, "reader", iamPolicy(
		iamStatement("Allow", arnA, "", "kms:DescribeKey", "kms:GetKeyPolicy"),
		iamStatement("Allow", "*", "", "kms:CreateKey", "kms:ListKeys"),
	)))

	// The default key policy delegates to IAM: what the identity policy
	// allows on a key is allowed, nothing else.
	_, err := u.DescribeKey(s.ctx, &kms.DescribeKeyInput{KeyId: a.KeyId})
	s.must(err, "DescribeKey allowed by IAM")
	out, err := u.GetKeyPolicy(s.ctx, &kms.GetKeyPolicyInput{KeyId: a.KeyId})
	s.must(err, "GetKeyPolicy allowed by IAM")
	if got := aws.ToString(out.Policy); got != defaultPolicyOf(arnA) {
		s.t.Errorf("GetKeyPolicy by the user returned\n%s", got)
	}
	_, err = u.DescribeKey(s.ctx, &kms.DescribeKeyInput{KeyId: b.KeyId})
	s.denied(err, "DescribeKey of a key the IAM policy does not name")
	_, err = u.DisableKey(s.ctx, &kms.DisableKeyInput{KeyId: a.KeyId})
	s.denied(err, "DisableKey, which the IAM policy does not allow")
	s.wantState(home, *a.KeyId, types.KeyStateEnabled)

	// CreateKey and ListKeys are IAM-only permissions.
	created, err := u.CreateKey(s.ctx, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	s.must(err, "CreateKey allowed by IAM")
	_, err = u.ListKeys(s.ctx, &kms.ListKeysInput{})
	s.must(err, "ListKeys allowed by IAM")
	// The user's own new key is governed like any other: its default
	// policy delegates to IAM, which does not name it.
	_, err = u.DescribeKey(s.ctx, &kms.DescribeKeyInput{KeyId: created.KeyMetadata.KeyId})
	s.denied(err, "DescribeKey of the user's new key, which its IAM policy does not name")
	s.wantPolicy(home, *created.KeyMetadata.KeyId, defaultPolicyOf(arnA), "key created by the user")

	// Without a key-policy statement for the account, IAM policies have
	// no effect on the key.
	root := rootOf(arnA)
	noDelegation := prettyPolicy("kmsim-conformance-no-describe", statement{
		sid: "Manage but not describe", effect: "Allow", principal: root,
		actions: []string{"kms:PutKeyPolicy", "kms:GetKeyPolicy", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"},
	})
	s.must(s.putPolicy(s.client(home), *b.KeyId, noDelegation, false), "PutKeyPolicy without kms:DescribeKey for the account")
	admin := s.as(home, s.user(arnA, "admin", iamPolicy(iamStatement("Allow", "*", "", "kms:*"))))
	_, err = admin.DescribeKey(s.ctx, &kms.DescribeKeyInput{KeyId: b.KeyId})
	s.denied(err, "DescribeKey allowed by IAM on a key whose policy does not delegate it")
	_, err = admin.GetKeyPolicy(s.ctx, &kms.GetKeyPolicyInput{KeyId: b.KeyId})
	s.must(err, "GetKeyPolicy allowed by IAM and delegated by the key policy")
	_, err = admin.DescribeKey(s.ctx, &kms.DescribeKeyInput{KeyId: a.KeyId})
	s.must(err, "DescribeKey allowed by IAM under the default policy")
}

func authzAllowedByKeyPolicy(s *session) {
	a := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	b := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	arnA, root := *a.Arn, rootOf(*a.Arn)
	user := s.user(arnA, "named", "")
	named := prettyPolicy("kmsim-conformance-named", allowAll("Account", root),
		statement{sid: "Named user", effect: "Allow", principal: user, actions: []string{"kms:DescribeKey", "kms:GetKeyPolicy"}})
	s.must(s.putPolicy(s.client(home), *a.KeyId, named, false), "PutKeyPolicy naming the user")

	// A key-policy statement naming the user allows without any IAM
	// policy; other keys and actions stay denied.
	u := s.as(home, user)
	_, err := u.DescribeKey(s.ctx, &kms.DescribeKeyInput{KeyId: a.KeyId})
	s.must(err, "DescribeKey allowed by the key policy alone")
	if got := s.getPolicy(home, *a.KeyId, nil); got != named {
		s.t.Errorf("key policy is\n%s", got)
	}
	_, err = u.GetKeyPolicy(s.ctx, &kms.GetKeyPolicyInput{KeyId: a.KeyId})
	s.must(err, "GetKeyPolicy allowed by the key policy alone")
	_, err = u.DisableKey(s.ctx, &kms.DisableKeyInput{KeyId: a.KeyId})
	s.denied(err, "DisableKey, which only the account statement covers")
	_, err = u.DescribeKey(s.ctx, &kms.DescribeKeyInput{KeyId: b.KeyId})
	s.denied(err, "DescribeKey of a key whose policy does not name the user")
}

func authzKeyPolicyDenyWins(s *session) {
	k := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	id, arn, root := *k.KeyId, *k.Arn, rootOf(*k.Arn)
	everything := iamPolicy(iamStatement("Allow", "*", "", "kms:*"))
	user := s.user(arn, "denied", everything)
	kp := prettyPolicy("kmsim-conformance-deny", allowAll("Account", root),
		statement{sid: "Deny the user", effect: "Deny", principal: user, actions: []string{"kms:DisableKey", "kms:PutKeyPolicy"}})
	s.must(s.putPolicy(s.client(home), id, kp, false), "PutKeyPolicy with a Deny for the user")

	// The key policy's Deny beats the IAM Allow of kms:*.
	u := s.as(home, user)
	_, err := u.DescribeKey(s.ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	s.must(err, "DescribeKey allowed by IAM")
	_, err = u.DisableKey(s.ctx, &kms.DisableKeyInput{KeyId: aws.String(id)})
	s.denied(err, "DisableKey denied by the key policy")
	err = s.putPolicy(u, id, prettyPolicy("kmsim-conformance", allowAll("Account", root)), false)
	s.denied(err, "PutKeyPolicy denied by the key policy")
	s.wantState(home, id, types.KeyStateEnabled)
	s.wantPolicy(home, id, kp, "after the denied PutKeyPolicy")
	// The Deny names the user only.
	_, err = s.client(home).DisableKey(s.ctx, &kms.DisableKeyInput{KeyId: aws.String(id)})
	s.must(err, "DisableKey by the key's account")
	_, err = s.client(home).EnableKey(s.ctx, &kms.EnableKeyInput{KeyId: aws.String(id)})
	s.must(err, "EnableKey by the key's account")

	// An identity policy's Deny beats a key policy's Allow as well.
	other := s.user(arn, "self-denied", iamPolicy(
		iamStatement("Allow", "*", "", "kms:*"),
		iamStatement("Deny", "*", "", "kms:DescribeKey"),
	))
	kp2 := prettyPolicy("kmsim-conformance-allow", allowAll("Account", root),
		statement{sid: "Allow the user", effect: "Allow", principal: other, actions: []string{"kms:*"}})
	s.must(s.putPolicy(s.client(home), id, kp2, false), "PutKeyPolicy allowing the second user")
	o := s.as(home, other)
	_, err = o.DescribeKey(s.ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	s.denied(err, "DescribeKey denied by the user's own IAM policy")
	_, err = o.GetKeyPolicy(s.ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(id)})
	s.must(err, "GetKeyPolicy allowed by both")
}

func authzReplicateNeedsCreateKey(s *session) {
	id, arn := s.family()
	replicate := func(c API, tags ...types.Tag) error {
		_, err := c.ReplicateKey(s.ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String(east), Tags: tags})
		return err
	}

	// kms:ReplicateKey on the primary is not enough: the replica is a
	// CreateKey in its Region, which only IAM can allow.
	noCreate := s.as(home, s.user(arn, "no-create", iamPolicy(iamStatement("Allow", "*", "", "kms:ReplicateKey", "kms:DescribeKey"))))
	s.denied(replicate(noCreate), "ReplicateKey without kms:CreateKey")
	s.wantNoKey(east, id, "after ReplicateKey without kms:CreateKey")
	s.wantRole(home, s.describe(home, id), types.MultiRegionKeyTypePrimary, arn)

	// kms:CreateKey is evaluated in the replica's Region.
	homeOnly := s.as(home, s.user(arn, "home-only", iamPolicy(
		iamStatement("Allow", "*", "", "kms:ReplicateKey"),
		iamStatement("Allow", "*", `{"StringEquals":{"aws:RequestedRegion":"`+home+`"}}`, "kms:CreateKey"),
	)))
	s.denied(replicate(homeOnly), "ReplicateKey with kms:CreateKey only in the primary's Region")
	s.wantNoKey(east, id, "after ReplicateKey with kms:CreateKey only in the primary's Region")

	// With tags it needs kms:TagResource too.
	creator := s.as(home, s.user(arn, "creator", iamPolicy(iamStatement("Allow", "*", "", "kms:ReplicateKey", "kms:CreateKey"))))
	s.denied(replicate(creator, tag("team", "kms")), "ReplicateKey with tags without kms:TagResource")
	s.wantNoKey(east, id, "after ReplicateKey with tags without kms:TagResource")
	s.wantRole(home, s.describe(home, id), types.MultiRegionKeyTypePrimary, arn)

	// All of them: the replica is made.
	s.must(replicate(creator), "ReplicateKey with kms:ReplicateKey and kms:CreateKey")
	s.settle()
	s.wantRole(east, s.wantState(east, id, types.KeyStateEnabled), types.MultiRegionKeyTypeReplica, arn, inRegion(arn, east))
}

func authzUpdatePrimaryRegionNeedsBothKeys(s *session) {
	id, arn := s.family(east)
	replicaARN := inRegion(arn, east)
	update := func(c API) error {
		_, err := c.UpdatePrimaryRegion(s.ctx, &kms.UpdatePrimaryRegionInput{KeyId: aws.String(id), PrimaryRegion: aws.String(east)})
		return err
	}
	// unchanged checks that a denied call left both keys as they were.
	unchanged := func() {
		s.t.Helper()
		s.wantRole(home, s.wantState(home, id, types.KeyStateEnabled), types.MultiRegionKeyTypePrimary, arn, replicaARN)
		s.wantRole(east, s.wantState(east, id, types.KeyStateEnabled), types.MultiRegionKeyTypeReplica, arn, replicaARN)
	}

	// The permission on one key of the two is not enough, either way.
	for name, resource := range map[string]string{"primary-only": arn, "replica-only": replicaARN} {
		u := s.as(home, s.user(arn, name, iamPolicy(iamStatement("Allow", resource, "", "kms:UpdatePrimaryRegion"))))
		s.denied(update(u), "UpdatePrimaryRegion with the permission on the %s key only", strings.TrimSuffix(name, "-only"))
		unchanged()
	}

	// Each key's own policy decides for it: a Deny in the replica's
	// policy denies the call.
	root := rootOf(arn)
	blocked := s.user(arn, "blocked", iamPolicy(iamStatement("Allow", "*", "", "kms:UpdatePrimaryRegion")))
	kp := prettyPolicy("kmsim-conformance-replica", allowAll("Account", root),
		statement{sid: "No promotion", effect: "Deny", principal: blocked, actions: []string{"kms:UpdatePrimaryRegion"}})
	s.must(s.putPolicy(s.client(east), id, kp, false), "PutKeyPolicy on the replica")
	s.denied(update(s.as(home, blocked)), "UpdatePrimaryRegion denied by the replica's key policy")
	unchanged()

	// The permission on both keys: the primary moves.
	both := s.as(home, s.user(arn, "both", iamPolicy(iamStatement("Allow", arn, "", "kms:UpdatePrimaryRegion"),
		iamStatement("Allow", replicaARN, "", "kms:UpdatePrimaryRegion"))))
	s.must(update(both), "UpdatePrimaryRegion with the permission on both keys")
	s.settle()
	s.wantRole(east, s.wantState(east, id, types.KeyStateEnabled), types.MultiRegionKeyTypePrimary, replicaARN, arn)
}
