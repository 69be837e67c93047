package kmshttp_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/kmssdk"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/policy"
)

// accountPolicy returns a compact key policy that lets the principals of
// account acct do everything, with a Sid to tell policies apart.
func accountPolicy(acct, sid string) string {
	return `{"Version":"2012-10-17","Statement":[{"Sid":"` + sid + `","Effect":"Allow",` +
		`"Principal":{"AWS":"arn:aws:iam::` + acct + `:root"},"Action":"kms:*","Resource":"*"}]}`
}

// policyAPI is the part of both clients the key-policy tests use.
type policyAPI interface {
	CreateKey(context.Context, *kms.CreateKeyInput, ...func(*kms.Options)) (*kms.CreateKeyOutput, error)
	DescribeKey(context.Context, *kms.DescribeKeyInput, ...func(*kms.Options)) (*kms.DescribeKeyOutput, error)
	ReplicateKey(context.Context, *kms.ReplicateKeyInput, ...func(*kms.Options)) (*kms.ReplicateKeyOutput, error)
	PutKeyPolicy(context.Context, *kms.PutKeyPolicyInput, ...func(*kms.Options)) (*kms.PutKeyPolicyOutput, error)
	GetKeyPolicy(context.Context, *kms.GetKeyPolicyInput, ...func(*kms.Options)) (*kms.GetKeyPolicyOutput, error)
	ListKeyPolicies(context.Context, *kms.ListKeyPoliciesInput, ...func(*kms.Options)) (*kms.ListKeyPoliciesOutput, error)
}

var (
	_ policyAPI = (*kms.Client)(nil)
	_ policyAPI = (*kmssdk.Client)(nil)
)

// keyPolicy returns the policy of key id through c, asking with
// policyName (nil: omitted).
func keyPolicy(t *testing.T, c policyAPI, id string, policyName *string) string {
	t.Helper()
	out, err := c.GetKeyPolicy(t.Context(), &kms.GetKeyPolicyInput{KeyId: aws.String(id), PolicyName: policyName})
	require.NoError(t, err)
	assert.Equal(t, "default", aws.ToString(out.PolicyName))
	return aws.ToString(out.Policy)
}

// The policy operations through the real client: the default policy
// byte for byte, a submitted one verbatim whatever its characters.
func TestKeyPolicyThroughHTTP(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := inProcessClient(newHandler(t, env, kmshttp.Config{}), "us-east-1", nil)
	ctx := t.Context()
	key, err := c.CreateKey(ctx, nil)
	require.NoError(t, err)
	id := *key.KeyMetadata.KeyId

	def := policy.Default("aws", kmstest.DefaultAccount)
	assert.Equal(t, def, keyPolicy(t, c, id, nil))
	assert.Equal(t, def, keyPolicy(t, c, *key.KeyMetadata.Arn, aws.String("default")))

	list, err := c.ListKeyPolicies(ctx, &kms.ListKeyPoliciesInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, []string{"default"}, list.PolicyNames)
	assert.False(t, list.Truncated)
	assert.Nil(t, list.NextMarker)

	// Escapes, HTML characters, Latin-1 and control whitespace survive
	// the wire both ways.
	texts := []string{
		accountPolicy(kmstest.DefaultAccount, "compact"),
		strings.Replace(accountPolicy(kmstest.DefaultAccount, `quote \" <&> caf`+"\u00e9"), `{"Version"`, "{\r\n\t\"Version\"", 1) + "\n",
	}
	for i, text := range texts {
		var name *string
		if i == 1 {
			name = aws.String("default")
		}
		_, err := c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(id), PolicyName: name, Policy: aws.String(text)})
		require.NoError(t, err)
		assert.Equal(t, text, keyPolicy(t, c, id, nil))
		assert.Equal(t, text, keyPolicy(t, c, id, aws.String("default")))
	}
}

// ReplicateKey with a Policy through the real client: ReplicaPolicy is
// the text sent; an invalid policy creates nothing.
func TestReplicateKeyPolicyThroughHTTP(t *testing.T) {
	env := kmstest.NewEnv(t)
	h := newHandler(t, env, kmshttp.Config{})
	us, eu := inProcessClient(h, "us-east-1", nil), inProcessClient(h, "eu-west-1", nil)
	ctx := t.Context()
	key, err := us.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	require.NoError(t, err)
	id := *key.KeyMetadata.KeyId

	for code, text := range map[string]string{
		"MalformedPolicyDocumentException": `{"Version":"2012-10-17","Statement":[]}`,
		"LimitExceededException":           accountPolicy(kmstest.DefaultAccount, "big") + strings.Repeat(" ", policy.DefaultMaxBytes),
		"ValidationException":              "\u20ac",
	} {
		_, err := us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String("eu-west-1"), Policy: aws.String(text)})
		checkSDKError(t, err, "ReplicateKey", code)
	}
	_, err = eu.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	checkSDKError(t, err, "DescribeKey", "NotFoundException")

	text := accountPolicy(kmstest.DefaultAccount, "replica")
	out, err := us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String("eu-west-1"), Policy: aws.String(text)})
	require.NoError(t, err)
	assert.Equal(t, text, aws.ToString(out.ReplicaPolicy))
	assert.Equal(t, text, keyPolicy(t, eu, id, nil))
	assert.Equal(t, policy.Default("aws", kmstest.DefaultAccount), keyPolicy(t, us, id, nil))

	out, err = us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String("ap-southeast-2")})
	require.NoError(t, err)
	assert.Equal(t, policy.Default("aws", kmstest.DefaultAccount), aws.ToString(out.ReplicaPolicy))
}

// The errors of the key-policy work reach the real client as the same
// types, codes and messages as through kmssdk.
func TestKeyPolicyErrorsBothFronts(t *testing.T) {
	const user = "arn:aws:iam::111122223333:user/nobody"
	type setup struct {
		root, user policyAPI
		srk, mrk   *string
	}
	lockout := strings.Replace(accountPolicy(kmstest.DefaultAccount, "lockout"), `"kms:*"`, `["kms:Describe*","kms:Get*","kms:List*"]`, 1)
	put := func(ctx context.Context, c policyAPI, id *string, text string, bypass bool) error {
		_, err := c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: id, Policy: aws.String(text), BypassPolicyLockoutSafetyCheck: bypass})
		return err
	}
	tests := []struct {
		name, op, code string
		run            func(context.Context, *setup) error
	}{
		{"Malformed/notJSON", "PutKeyPolicy", "MalformedPolicyDocumentException", func(ctx context.Context, s *setup) error {
			return put(ctx, s.root, s.srk, "not json", false)
		}},
		{"Malformed/noPrincipal", "PutKeyPolicy", "MalformedPolicyDocumentException", func(ctx context.Context, s *setup) error {
			return put(ctx, s.root, s.srk, `{"Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}`, false)
		}},
		{"Malformed/invalidPrincipal", "PutKeyPolicy", "MalformedPolicyDocumentException", func(ctx context.Context, s *setup) error {
			return put(ctx, s.root, s.srk, strings.Replace(accountPolicy(kmstest.DefaultAccount, "x"), ":root", ":user/ghost", 1), false)
		}},
		{"Malformed/lockout", "PutKeyPolicy", "MalformedPolicyDocumentException", func(ctx context.Context, s *setup) error {
			return put(ctx, s.root, s.srk, lockout, false)
		}},
		{"Malformed/CreateKey", "CreateKey", "MalformedPolicyDocumentException", func(ctx context.Context, s *setup) error {
			_, err := s.root.CreateKey(ctx, &kms.CreateKeyInput{Policy: aws.String(lockout)})
			return err
		}},
		{"LimitExceeded", "PutKeyPolicy", "LimitExceededException", func(ctx context.Context, s *setup) error {
			return put(ctx, s.root, s.srk, accountPolicy(kmstest.DefaultAccount, strings.Repeat("s", policy.DefaultMaxBytes)), false)
		}},
		{"LimitExceeded/CreateKey", "CreateKey", "LimitExceededException", func(ctx context.Context, s *setup) error {
			_, err := s.root.CreateKey(ctx, &kms.CreateKeyInput{Policy: aws.String(strings.Repeat(" ", policy.DefaultMaxBytes+1))})
			return err
		}},
		{"Validation/pattern", "PutKeyPolicy", "ValidationException", func(ctx context.Context, s *setup) error {
			return put(ctx, s.root, s.srk, "\u0100", false)
		}},
		{"Validation/empty", "PutKeyPolicy", "ValidationException", func(ctx context.Context, s *setup) error {
			return put(ctx, s.root, s.srk, "", false)
		}},
		{"Validation/policyName", "GetKeyPolicy", "ValidationException", func(ctx context.Context, s *setup) error {
			_, err := s.root.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: s.srk, PolicyName: aws.String("no-dashes")})
			return err
		}},
		{"Validation/limit", "ListKeyPolicies", "ValidationException", func(ctx context.Context, s *setup) error {
			_, err := s.root.ListKeyPolicies(ctx, &kms.ListKeyPoliciesInput{KeyId: s.srk, Limit: aws.Int32(0)})
			return err
		}},
		{"NotFound/policyName", "GetKeyPolicy", "NotFoundException", func(ctx context.Context, s *setup) error {
			_, err := s.root.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: s.srk, PolicyName: aws.String("other")})
			return err
		}},
		{"NotFound/key", "ListKeyPolicies", "NotFoundException", func(ctx context.Context, s *setup) error {
			_, err := s.root.ListKeyPolicies(ctx, &kms.ListKeyPoliciesInput{KeyId: aws.String("mrk-00000000000000000000000000000000")})
			return err
		}},
		{"InvalidArn/alias", "PutKeyPolicy", "InvalidArnException", func(ctx context.Context, s *setup) error {
			return put(ctx, s.root, aws.String("alias/mine"), accountPolicy(kmstest.DefaultAccount, "x"), false)
		}},
		{"AccessDenied/noIAM", "GetKeyPolicy", "AccessDeniedException", func(ctx context.Context, s *setup) error {
			_, err := s.user.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: s.srk})
			return err
		}},
		{"AccessDenied/lockedOut", "PutKeyPolicy", "AccessDeniedException", func(ctx context.Context, s *setup) error {
			if err := put(ctx, s.root, s.srk, lockout, true); err != nil {
				return err
			}
			return put(ctx, s.root, s.srk, accountPolicy(kmstest.DefaultAccount, "back"), true)
		}},
		{"AccessDenied/ReplicateKey", "ReplicateKey", "AccessDeniedException", func(ctx context.Context, s *setup) error {
			_, err := s.user.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: s.mrk, ReplicaRegion: aws.String("ap-southeast-2")})
			return err
		}},
		{"Malformed/ReplicateKey", "ReplicateKey", "MalformedPolicyDocumentException", func(ctx context.Context, s *setup) error {
			_, err := s.root.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: s.mrk, ReplicaRegion: aws.String("ap-southeast-2"), Policy: aws.String(lockout)})
			return err
		}},
	}
	newSetup := func(t *testing.T, viaHTTP bool) *setup {
		env := kmstest.NewEnv(t)
		require.NoError(t, env.Engine.CreatePrincipal(user))
		require.NoError(t, env.Engine.CreateAccessKey(engine.AccessKey{ID: "AKIDNOBODY", Secret: "s", Account: kmstest.DefaultAccount, Principal: user}))
		s := &setup{root: kmssdk.New(env.Engine), user: kmssdk.New(env.Engine, kmssdk.WithCaller(kmstest.DefaultAccount, user))}
		if viaHTTP {
			srv := newServer(t, env, kmshttp.Config{})
			s.root, s.user = testClient(srv, "us-east-1"), newClient(srv, "us-east-1", "AKIDNOBODY", "s")
		}
		srk, err := s.root.CreateKey(t.Context(), nil)
		require.NoError(t, err)
		mrk, err := s.root.CreateKey(t.Context(), &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
		require.NoError(t, err)
		s.srk, s.mrk = srk.KeyMetadata.KeyId, mrk.KeyMetadata.KeyId
		return s
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			viaSDK := tt.run(t.Context(), newSetup(t, false))
			err := tt.run(t.Context(), newSetup(t, true))
			checkSDKError(t, viaSDK, tt.op, tt.code)
			checkSDKError(t, err, tt.op, tt.code)
			var want, got smithy.APIError
			require.True(t, errors.As(viaSDK, &want))
			require.True(t, errors.As(err, &got))
			assert.Equal(t, want.ErrorMessage(), got.ErrorMessage())
			assert.Equal(t, want, got, "the same SDK error value")
		})
	}
}

// The modeled policy exceptions are the SDK's types; AccessDenied is a
// generic API error with its code, as the real client reports it.
func TestPolicyErrorTypesThroughHTTP(t *testing.T) {
	env := kmstest.NewEnv(t)
	const user = "arn:aws:iam::111122223333:user/nobody"
	require.NoError(t, env.Engine.CreatePrincipal(user))
	require.NoError(t, env.Engine.CreateAccessKey(engine.AccessKey{ID: "AKIDNOBODY", Secret: "s", Account: kmstest.DefaultAccount, Principal: user}))
	srv := newServer(t, env, kmshttp.Config{})
	root, nobody := testClient(srv, "us-east-1"), newClient(srv, "us-east-1", "AKIDNOBODY", "s")
	ctx := t.Context()
	key, err := root.CreateKey(ctx, nil)
	require.NoError(t, err)
	id := key.KeyMetadata.KeyId

	_, err = root.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: id, Policy: aws.String("[]")})
	var mp *types.MalformedPolicyDocumentException
	assert.True(t, errors.As(err, &mp), "%T: %v", err, err)
	_, err = root.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: id, Policy: aws.String(strings.Repeat("\t", policy.DefaultMaxBytes+1))})
	var le *types.LimitExceededException
	assert.True(t, errors.As(err, &le), "%T: %v", err, err)
	_, err = nobody.ListKeyPolicies(ctx, &kms.ListKeyPoliciesInput{KeyId: id})
	var generic *smithy.GenericAPIError
	require.True(t, errors.As(err, &generic), "%T: %v", err, err)
	assert.Equal(t, "AccessDeniedException", generic.Code)
	assert.Contains(t, generic.Message, user, "the message names the caller")
}

// The admin API attaches and removes IAM identity policies: a real
// client signing with the user's access key is allowed exactly what the
// policies allow.
func TestAdminPrincipalPolicies(t *testing.T) {
	env := kmstest.NewEnv(t)
	srv := newServer(t, env, kmshttp.Config{})
	root := testClient(srv, "us-east-1")
	ctx := t.Context()
	const user = "arn:aws:iam::111122223333:user/team/carol"

	var out map[string]any
	require.Equal(t, 200, admin(t, srv, "POST", "/_kmsim/principals", `{"Arn":"`+user+`"}`, &out).StatusCode)
	require.Equal(t, 200, admin(t, srv, "POST", "/_kmsim/access-keys",
		`{"Id":"AKIDCAROL","Secret":"carol-secret","Account":"111122223333","Principal":"`+user+`"}`, &out).StatusCode)
	carol := newClient(srv, "us-east-1", "AKIDCAROL", "carol-secret")

	key, err := root.CreateKey(ctx, nil)
	require.NoError(t, err)
	id := key.KeyMetadata.KeyId

	// No identity policy: nothing is allowed.
	_, err = carol.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: id})
	checkSDKError(t, err, "DescribeKey", "AccessDeniedException")
	_, err = carol.CreateKey(ctx, nil)
	checkSDKError(t, err, "CreateKey", "AccessDeniedException")

	attach := func(name string, doc string) *http.Response {
		t.Helper()
		body, err := json.Marshal(map[string]string{"Arn": user, "Name": name, "Document": doc})
		require.NoError(t, err)
		out = nil
		return admin(t, srv, "POST", "/_kmsim/principal-policies", string(body), &out)
	}
	resp := attach("describe", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:DescribeKey","Resource":"`+*key.KeyMetadata.Arn+`"}]}`)
	require.Equal(t, 200, resp.StatusCode, out)
	assert.Equal(t, map[string]any{"Arn": user, "Name": "describe"}, out)
	names, err := env.Engine.PrincipalPolicies(user)
	require.NoError(t, err)
	assert.Equal(t, []string{"describe"}, names)

	_, err = carol.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: id})
	require.NoError(t, err)
	_, err = carol.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: id})
	checkSDKError(t, err, "GetKeyPolicy", "AccessDeniedException")
	_, err = carol.CreateKey(ctx, nil)
	checkSDKError(t, err, "CreateKey", "AccessDeniedException")

	// A second policy adds to the first; an explicit deny in it wins
	// over its own Allow.
	resp = attach("create", `{"Version":"2012-10-17","Statement":[`+
		`{"Effect":"Allow","Action":["kms:CreateKey","kms:GetKeyPolicy"],"Resource":"*"},`+
		`{"Effect":"Deny","Action":"kms:GetKeyPolicy","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}]}`)
	require.Equal(t, 200, resp.StatusCode, out)
	mine, err := carol.CreateKey(ctx, nil)
	require.NoError(t, err)
	_, err = carol.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: id})
	require.NoError(t, err)
	_, err = carol.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: mine.KeyMetadata.KeyId})
	checkSDKError(t, err, "DescribeKey", "AccessDeniedException") // the describe policy names only the other key
	euKey, err := testClient(srv, "eu-west-1").CreateKey(ctx, nil)
	require.NoError(t, err)
	_, err = newClient(srv, "eu-west-1", "AKIDCAROL", "carol-secret").GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: euKey.KeyMetadata.KeyId})
	checkSDKError(t, err, "GetKeyPolicy", "AccessDeniedException")

	// DELETE removes one policy; the other stays.
	out = nil
	resp = admin(t, srv, "DELETE", "/_kmsim/principal-policies", `{"Arn":"`+user+`","Name":"describe"}`, &out)
	require.Equal(t, 200, resp.StatusCode, out)
	assert.Equal(t, map[string]any{"Arn": user, "Name": "describe"}, out)
	_, err = carol.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: id})
	checkSDKError(t, err, "DescribeKey", "AccessDeniedException")
	_, err = carol.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: id})
	require.NoError(t, err)
	require.Equal(t, 200, admin(t, srv, "DELETE", "/_kmsim/principal-policies", `{"Arn":"`+user+`","Name":"create"}`, &out).StatusCode)
	_, err = carol.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: id})
	checkSDKError(t, err, "GetKeyPolicy", "AccessDeniedException")
	names, err = env.Engine.PrincipalPolicies(user)
	require.NoError(t, err)
	assert.Empty(t, names)

	// Errors, in the KMS format.
	var e kmsError
	for _, c := range []struct {
		method, body, code string
	}{
		{"POST", `{"Arn":"` + user + `","Name":"bad","Document":"{"}`, "MalformedPolicyDocumentException"},
		{"POST", `{"Arn":"` + user + `","Name":"bad","Document":` + jsonString(accountPolicy("111122223333", "key policy")) + `}`, "MalformedPolicyDocumentException"},
		{"POST", `{"Arn":"arn:aws:iam::111122223333:user/ghost","Name":"p","Document":` + jsonString(allowKMS) + `}`, "NotFoundException"},
		{"POST", `{"Arn":"arn:aws:iam::111122223333:root","Name":"p","Document":` + jsonString(allowKMS) + `}`, "ValidationException"},
		{"POST", `{"Arn":"` + user + `","Name":"","Document":` + jsonString(allowKMS) + `}`, "ValidationException"},
		{"POST", `{"Arn":"` + user + `","Name":"p","Document":"{}","Extra":1}`, "SerializationException"},
		{"DELETE", `{"Arn":"` + user + `","Name":"describe"}`, "NotFoundException"},
		{"DELETE", `{"Arn":"arn:aws:iam::111122223333:user/ghost","Name":"p"}`, "NotFoundException"},
		{"DELETE", `{"Arn":"` + user + `","Name":"p","Document":"{}"}`, "SerializationException"},
	} {
		e = kmsError{}
		resp := admin(t, srv, c.method, "/_kmsim/principal-policies", c.body, &e)
		assert.Equal(t, 400, resp.StatusCode, c.body)
		assert.Equal(t, c.code, e.Type, c.body)
		assert.Equal(t, c.code, resp.Header.Get("X-Amzn-ErrorType"), c.body)
	}
	resp = admin(t, srv, "GET", "/_kmsim/principal-policies", "", &e)
	assert.Equal(t, 405, resp.StatusCode)
	assert.Equal(t, "DELETE, POST", resp.Header.Get("Allow"))
}

// jsonString quotes s as a JSON string.
func jsonString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}
