package engine_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// chkCNAcct is an account in the aws-cn partition, for SM2 keys.
const chkCNAcct = "222233334444"

var (
	chkUUIDRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	chkMRKRe  = regexp.MustCompile(`^mrk-[0-9a-f]{32}$`)
)

// chkAlgs is one row of the spec §3.4 algorithm table.
type chkAlgs struct {
	enc, sign, mac, ka []string
}

// chkSpecTable is spec §3.4, written out: the allowed KeyUsage values of
// every KeySpec and the algorithms KeyMetadata lists for each.
func chkSpecTable() map[keystore.KeySpec]map[keystore.KeyUsage]chkAlgs {
	rsa := map[keystore.KeyUsage]chkAlgs{
		"ENCRYPT_DECRYPT": {enc: []string{"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}},
		"SIGN_VERIFY": {sign: []string{"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
			"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512"}},
	}
	nist := func(alg string) map[keystore.KeyUsage]chkAlgs {
		return map[keystore.KeyUsage]chkAlgs{"SIGN_VERIFY": {sign: []string{alg}}, "KEY_AGREEMENT": {ka: []string{"ECDH"}}}
	}
	sign := func(algs ...string) map[keystore.KeyUsage]chkAlgs {
		return map[keystore.KeyUsage]chkAlgs{"SIGN_VERIFY": {sign: algs}}
	}
	mac := func(alg string) map[keystore.KeyUsage]chkAlgs {
		return map[keystore.KeyUsage]chkAlgs{"GENERATE_VERIFY_MAC": {mac: []string{alg}}}
	}
	return map[keystore.KeySpec]map[keystore.KeyUsage]chkAlgs{
		"RSA_2048":              rsa,
		"RSA_3072":              rsa,
		"RSA_4096":              rsa,
		"ECC_NIST_P256":         nist("ECDSA_SHA_256"),
		"ECC_NIST_P384":         nist("ECDSA_SHA_384"),
		"ECC_NIST_P521":         nist("ECDSA_SHA_512"),
		"ECC_SECG_P256K1":       sign("ECDSA_SHA_256"),
		"SYMMETRIC_DEFAULT":     {"ENCRYPT_DECRYPT": {enc: []string{"SYMMETRIC_DEFAULT"}}},
		"HMAC_224":              mac("HMAC_SHA_224"),
		"HMAC_256":              mac("HMAC_SHA_256"),
		"HMAC_384":              mac("HMAC_SHA_384"),
		"HMAC_512":              mac("HMAC_SHA_512"),
		"SM2":                   {"ENCRYPT_DECRYPT": {enc: []string{"SM2PKE"}}, "SIGN_VERIFY": {sign: []string{"SM2DSA"}}, "KEY_AGREEMENT": {ka: []string{"ECDH"}}},
		"ML_DSA_44":             sign("ML_DSA_SHAKE_256"),
		"ML_DSA_65":             sign("ML_DSA_SHAKE_256"),
		"ML_DSA_87":             sign("ML_DSA_SHAKE_256"),
		"ECC_NIST_EDWARDS25519": sign("ED25519_SHA_512", "ED25519_PH_SHA_512"),
	}
}

// chkAllSpecs is the KeySpec enum in model order (spec §3.1).
var chkAllSpecs = []keystore.KeySpec{"RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
	"ECC_SECG_P256K1", "SYMMETRIC_DEFAULT", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2", "ML_DSA_44", "ML_DSA_65",
	"ML_DSA_87", "ECC_NIST_EDWARDS25519"}

// chkAllUsages is the KeyUsage enum in model order, plus "" for omitted.
var chkAllUsages = []keystore.KeyUsage{"SIGN_VERIFY", "ENCRYPT_DECRYPT", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT", ""}

// TestSpecCreateKeySpecUsage tries every KeySpec with every KeyUsage (and
// without one), single-Region and multi-Region (spec §3.4, §6.2).
func TestSpecCreateKeySpecUsage(t *testing.T) {
	t.Parallel()
	newEnv := func(t *testing.T) *kmstest.Env {
		env := kmstest.NewEnv(t)
		require.NoError(t, env.Engine.CreateAccount(engine.AccountInput{ID: chkCNAcct, Partition: "aws-cn"}))
		return env
	}
	table := chkSpecTable()
	require.Len(t, table, len(chkAllSpecs))
	for _, spec := range chkAllSpecs {
		for _, usage := range chkAllUsages {
			for _, multi := range []bool{false, true} {
				name := fmt.Sprintf("%s/%s/multiRegion=%v", spec, chkOr(string(usage), "omitted"), multi)
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					env := newEnv(t)
					c := env.Caller("us-east-1")
					if spec == "SM2" {
						c = engine.Caller{Account: chkCNAcct, Region: "cn-north-1"}
					}
					in := engine.CreateKeyInput{KeySpec: spec, KeyUsage: usage, MultiRegion: multi}
					effective := usage
					if usage == "" && spec == "SYMMETRIC_DEFAULT" {
						effective = "ENCRYPT_DECRYPT"
					}
					algs, allowed := table[spec][effective]
					if !allowed {
						msg := fmt.Sprintf("KeyUsage %s is not compatible with KeySpec %s", usage, spec)
						if usage == "" {
							msg = "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys."
						}
						chkFails(t, env, &kmserrors.ValidationException{Message: msg}, func() error {
							_, err := env.Engine.CreateKey(c, in)
							return err
						})
						return
					}
					out, err := env.Engine.CreateKey(c, in)
					require.NoError(t, err)
					m := out.KeyMetadata
					require.Equal(t, spec, m.KeySpec)
					require.Equal(t, effective, m.KeyUsage)
					require.Equal(t, algs.enc, m.EncryptionAlgorithms, "EncryptionAlgorithms")
					require.Equal(t, algs.sign, m.SigningAlgorithms, "SigningAlgorithms")
					require.Equal(t, algs.mac, m.MacAlgorithms, "MacAlgorithms")
					require.Equal(t, algs.ka, m.KeyAgreementAlgorithms, "KeyAgreementAlgorithms")
					wantCMKSpec := spec
					if strings.HasPrefix(string(spec), "ML_DSA_") || spec == "ECC_NIST_EDWARDS25519" {
						wantCMKSpec = "" // outside the deprecated enum: omitted (spec §11 #35)
					}
					require.Equal(t, wantCMKSpec, m.CustomerMasterKeySpec, "CustomerMasterKeySpec")
					require.Equal(t, keystore.Enabled, m.KeyState)
					require.True(t, m.Enabled)
					require.Equal(t, keystore.OriginAWSKMS, m.Origin)
					require.Equal(t, multi, m.MultiRegion)
					if multi {
						require.Regexp(t, chkMRKRe, m.KeyID)
					} else {
						require.Regexp(t, chkUUIDRe, m.KeyID)
					}
					d, err := env.Engine.DescribeKey(c, engine.DescribeKeyInput{KeyID: m.KeyID})
					require.NoError(t, err)
					require.Equal(t, m, d.KeyMetadata, "DescribeKey agrees with CreateKey")
				})
			}
		}
	}

	t.Run("SM2 outside aws-cn", func(t *testing.T) {
		t.Parallel()
		env := newEnv(t)
		for _, usage := range []keystore.KeyUsage{"ENCRYPT_DECRYPT", "SIGN_VERIFY", "KEY_AGREEMENT"} {
			chkFailsType(t, env, &kmserrors.ValidationException{}, func() error {
				_, err := env.Engine.CreateKey(env.Caller("us-east-1"), engine.CreateKeyInput{KeySpec: "SM2", KeyUsage: usage})
				return err
			})
		}
	})
}

// chkOr returns s, or def when s is empty.
func chkOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// TestSpecCreateKeyErrors covers CreateKey's validation, custom key store,
// Region, tag and quota errors, each leaving no trace.
func TestSpecCreateKeyErrors(t *testing.T) {
	t.Parallel()
	specEnum := "satisfy enum value set: [RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, " +
		"SYMMETRIC_DEFAULT, HMAC_224, HMAC_256, HMAC_384, HMAC_512, SM2, ML_DSA_44, ML_DSA_65, ML_DSA_87, ECC_NIST_EDWARDS25519]"
	cmkEnum := "satisfy enum value set: [RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, " +
		"SYMMETRIC_DEFAULT, HMAC_224, HMAC_256, HMAC_384, HMAC_512, SM2]"
	usageEnum := "satisfy enum value set: [SIGN_VERIFY, ENCRYPT_DECRYPT, GENERATE_VERIFY_MAC, KEY_AGREEMENT]"
	originEnum := "satisfy enum value set: [AWS_KMS, EXTERNAL, AWS_CLOUDHSM, EXTERNAL_KEY_STORE]"
	noCustomMRK := &kmserrors.UnsupportedOperationException{Message: "Multi-Region keys are not supported in custom key stores."}

	cases := []struct {
		name   string
		cfg    *engine.Config
		region region.ID
		setup  func(t *testing.T, env *kmstest.Env)
		in     engine.CreateKeyInput
		want   kmserrors.APIError
	}{
		{name: "enum/KeySpec", in: engine.CreateKeyInput{KeySpec: "RSA_1024"},
			want: &kmserrors.ValidationException{Message: chkOne("'RSA_1024'", "keySpec", specEnum)}},
		{name: "enum/KeySpec is case-sensitive", in: engine.CreateKeyInput{KeySpec: "symmetric_default"},
			want: &kmserrors.ValidationException{Message: chkOne("'symmetric_default'", "keySpec", specEnum)}},
		{name: "enum/KeyUsage", in: engine.CreateKeyInput{KeyUsage: "ENCRYPT"},
			want: &kmserrors.ValidationException{Message: chkOne("'ENCRYPT'", "keyUsage", usageEnum)}},
		{name: "enum/Origin", in: engine.CreateKeyInput{Origin: "KMS"},
			want: &kmserrors.ValidationException{Message: chkOne("'KMS'", "origin", originEnum)}},
		{name: "enum/CustomerMasterKeySpec lacks ML_DSA", in: engine.CreateKeyInput{CustomerMasterKeySpec: "ML_DSA_44", KeyUsage: "SIGN_VERIFY"},
			want: &kmserrors.ValidationException{Message: chkOne("'ML_DSA_44'", "customerMasterKeySpec", cmkEnum)}},
		{name: "enum/two violations", in: engine.CreateKeyInput{KeySpec: "AES_256", KeyUsage: "WRAP"},
			want: &kmserrors.ValidationException{Message: "2 validation errors detected: " +
				chkVal("'WRAP'", "keyUsage", usageEnum) + "; " + chkVal("'AES_256'", "keySpec", specEnum)}},
		{name: "validation/Description 8193 characters", in: engine.CreateKeyInput{Description: strings.Repeat("d", 8193)},
			want: &kmserrors.ValidationException{Message: chkOne("'"+strings.Repeat("d", 8193)+"'", "description", "have length less than or equal to 8192")}},
		{name: "validation/Policy character", in: engine.CreateKeyInput{Policy: "{\u0100}"},
			want: &kmserrors.ValidationException{Message: chkOne("'{\u0100}'", "policy", "satisfy regular expression pattern: "+chkPolicyPattern)}},
		{name: "validation/TagKey 129 characters", in: engine.CreateKeyInput{Tags: []keystore.Tag{{Key: "a", Value: ""}, {Key: strings.Repeat("k", 129), Value: ""}}},
			want: &kmserrors.ValidationException{Message: chkOne("'"+strings.Repeat("k", 129)+"'", "tags.2.member.tagKey", "have length less than or equal to 128")}},
		{name: "usage/incompatible pair", in: engine.CreateKeyInput{KeySpec: "RSA_2048", KeyUsage: "KEY_AGREEMENT"},
			want: &kmserrors.ValidationException{Message: "KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048"}},
		{name: "usage/HMAC needs an explicit KeyUsage", in: engine.CreateKeyInput{KeySpec: "HMAC_256"},
			want: &kmserrors.ValidationException{Message: "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys."}},
		{name: "custom key store/MultiRegion with CustomKeyStoreId", in: engine.CreateKeyInput{MultiRegion: true, CustomKeyStoreID: "cks-1234567890abcdef0"},
			want: noCustomMRK},
		{name: "custom key store/MultiRegion with AWS_CLOUDHSM", in: engine.CreateKeyInput{MultiRegion: true, Origin: "AWS_CLOUDHSM", CustomKeyStoreID: "cks-1234567890abcdef0"},
			want: noCustomMRK},
		{name: "custom key store/MultiRegion with EXTERNAL_KEY_STORE", in: engine.CreateKeyInput{MultiRegion: true, Origin: "EXTERNAL_KEY_STORE", CustomKeyStoreID: "cks-1234567890abcdef0", XksKeyID: "xks-1"},
			want: noCustomMRK},
		{name: "Region without multi-Region keys", cfg: &engine.Config{NoMultiRegion: []region.ID{"eu-west-1"}}, region: "eu-west-1",
			in:   engine.CreateKeyInput{MultiRegion: true},
			want: &kmserrors.ValidationException{Message: "Region eu-west-1 is not a valid Region or multi-Region keys are not supported in Region eu-west-1."}},
		{name: "tags/aws: prefix", in: engine.CreateKeyInput{Tags: []keystore.Tag{{Key: "aws:key1", Value: "v"}}},
			want: &kmserrors.TagException{Message: "Tags beginning with aws: are reserved"}},
		{name: "tags/AWS: prefix", in: engine.CreateKeyInput{Tags: []keystore.Tag{{Key: "AWS:key1", Value: "v"}}},
			want: &kmserrors.TagException{Message: "Tags beginning with aws: are reserved"}},
		{name: "tags/duplicate keys", in: engine.CreateKeyInput{Tags: []keystore.Tag{{Key: "k", Value: "1"}, {Key: "k", Value: "1"}}},
			want: &kmserrors.TagException{Message: "Duplicate tag keys"}},
		{name: "tags/51 tags", in: engine.CreateKeyInput{Tags: chkTags(51)},
			want: &kmserrors.TagException{Message: "Too many tags"}},
		{name: "quota/policy of 32769 bytes", in: engine.CreateKeyInput{Policy: strings.Repeat(" ", 32769)},
			want: &kmserrors.LimitExceededException{Message: "The key policy exceeds the maximum allowed size."}},
		{name: "quota/keys per Region", cfg: &engine.Config{KeyQuota: 2}, setup: func(t *testing.T, env *kmstest.Env) {
			chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
			chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
		}, in: engine.CreateKeyInput{}, want: &kmserrors.LimitExceededException{Message: "The request was rejected because a quota was exceeded."}},
		{name: "injected fault", cfg: &engine.Config{Faults: chkFault{op: "CreateKey", err: &kmserrors.KMSInternalException{Message: "injected"}}},
			in: engine.CreateKeyInput{}, want: &kmserrors.KMSInternalException{Message: "injected"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var opts []kmstest.Option
			if tc.cfg != nil {
				opts = append(opts, kmstest.WithConfig(*tc.cfg))
			}
			env := kmstest.NewEnv(t, opts...)
			if tc.setup != nil {
				tc.setup(t, env)
			}
			r := tc.region
			if r == "" {
				r = "us-east-1"
			}
			chkFails(t, env, tc.want, func() error {
				_, err := env.Engine.CreateKey(env.Caller(r), tc.in)
				return err
			})
		})
	}

	t.Run("quota/counts each Region separately", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{KeyQuota: 1}))
		chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
		chkSingle(t, env, "us-west-2", engine.CreateKeyInput{})
	})
}

// TestSpecCreateKeyMetadata checks the KeyMetadata presence rules of spec
// §3.1 and §6.2 on new keys.
func TestSpecCreateKeyMetadata(t *testing.T) {
	t.Parallel()
	env := kmstest.NewEnv(t)
	members := func(t *testing.T, v any) map[string]json.RawMessage {
		raw, err := json.Marshal(v)
		require.NoError(t, err)
		var m map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(raw, &m))
		return m
	}

	t.Run("single-Region symmetric key", func(t *testing.T) {
		out, err := env.Engine.CreateKey(env.Caller("us-east-1"), engine.CreateKeyInput{})
		require.NoError(t, err)
		m := out.KeyMetadata
		require.Regexp(t, chkUUIDRe, m.KeyID)
		require.Equal(t, chkARN("us-east-1", m.KeyID), m.Arn)
		require.Equal(t, chkAcct, m.AWSAccountID)
		require.Equal(t, env.Clock.Now(), m.CreationDate)
		require.True(t, m.Enabled)
		require.Equal(t, keystore.Enabled, m.KeyState)
		require.Equal(t, "", m.Description)
		require.Equal(t, keystore.KeyUsage("ENCRYPT_DECRYPT"), m.KeyUsage)
		require.Equal(t, keystore.KeySpec("SYMMETRIC_DEFAULT"), m.KeySpec)
		require.Equal(t, keystore.KeySpec("SYMMETRIC_DEFAULT"), m.CustomerMasterKeySpec)
		require.Equal(t, []string{"SYMMETRIC_DEFAULT"}, m.EncryptionAlgorithms)
		require.Equal(t, keystore.OriginAWSKMS, m.Origin)
		require.Equal(t, keystore.ManagerCustomer, m.KeyManager)
		require.False(t, m.MultiRegion)
		require.Nil(t, m.MultiRegionConfiguration, "MultiRegionConfiguration only for multi-Region keys")
		require.True(t, m.DeletionDate.IsZero())
		require.Zero(t, m.PendingDeletionWindowInDays)
		require.Empty(t, m.ExpirationModel)
		js := members(t, m)
		require.JSONEq(t, `""`, string(js["description"]), "Description is present and empty")
		require.JSONEq(t, `false`, string(js["multiRegion"]), "MultiRegion is present and false")
		require.NotContains(t, js, "multiRegionConfiguration")
		require.NotContains(t, js, "deletionDate")
		require.NotContains(t, js, "pendingDeletionWindowInDays")
	})

	t.Run("lone multi-Region primary", func(t *testing.T) {
		out, err := env.Engine.CreateKey(env.Caller("eu-west-1"), engine.CreateKeyInput{MultiRegion: true, Description: "primary"})
		require.NoError(t, err)
		m := out.KeyMetadata
		require.Regexp(t, chkMRKRe, m.KeyID)
		require.Equal(t, chkARN("eu-west-1", m.KeyID), m.Arn)
		require.Equal(t, "primary", m.Description)
		require.True(t, m.MultiRegion)
		require.Equal(t, keystore.Enabled, m.KeyState, "a primary is never Creating")
		require.NotNil(t, m.MultiRegionConfiguration)
		require.Equal(t, &engine.MultiRegionConfiguration{
			MultiRegionKeyType: keystore.Primary,
			PrimaryKey:         engine.MultiRegionKey{Arn: m.Arn, Region: "eu-west-1"},
			ReplicaKeys:        []engine.MultiRegionKey{},
		}, m.MultiRegionConfiguration)
		require.NotNil(t, m.MultiRegionConfiguration.ReplicaKeys, "ReplicaKeys is [] not nil")
		js := members(t, m.MultiRegionConfiguration)
		require.JSONEq(t, `[]`, string(js["replicaKeys"]))
		d := chkDescribe(t, env, "eu-west-1", m.KeyID)
		require.NotNil(t, d.MultiRegionConfiguration.ReplicaKeys)
		require.Empty(t, d.MultiRegionConfiguration.ReplicaKeys)
	})

	t.Run("Origin EXTERNAL starts PendingImport", func(t *testing.T) {
		for _, multi := range []bool{false, true} {
			out, err := env.Engine.CreateKey(env.Caller("us-east-1"), engine.CreateKeyInput{Origin: keystore.OriginExternal, MultiRegion: multi})
			require.NoError(t, err)
			m := out.KeyMetadata
			require.Equal(t, keystore.PendingImport, m.KeyState)
			require.False(t, m.Enabled)
			require.Equal(t, keystore.OriginExternal, m.Origin)
			require.Empty(t, m.ExpirationModel, "no ExpirationModel before an import")
			require.Equal(t, m, chkDescribe(t, env, "us-east-1", m.KeyID))
		}
	})

	t.Run("tags are stored sorted", func(t *testing.T) {
		out, err := env.Engine.CreateKey(env.Caller("us-east-1"), engine.CreateKeyInput{Tags: []keystore.Tag{{Key: "b", Value: "2"}, {Key: "a", Value: ""}}})
		require.NoError(t, err)
		require.Equal(t, []keystore.Tag{{Key: "a", Value: ""}, {Key: "b", Value: "2"}}, chkAllTags(t, env, env.Caller("us-east-1"), out.KeyMetadata.KeyID))
	})
}

// TestSpecReplicateKeySuccess checks the ReplicateKey response and the
// related keys right after it (spec §3.2, §5.2, §5.3, §5.4).
func TestSpecReplicateKeySuccess(t *testing.T) {
	t.Parallel()
	env := kmstest.NewEnv(t)
	id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{Description: "primary's", Tags: []keystore.Tag{{Key: "p", Value: "1"}}})
	chkReplicate(t, env, id, "us-east-1", "eu-west-1")
	env.Advance(time.Second)
	out, err := env.Engine.ReplicateKey(env.Caller("us-east-1"), engine.ReplicateKeyInput{KeyID: chkARN("us-east-1", id), ReplicaRegion: "us-west-2"})
	require.NoError(t, err)
	m := out.ReplicaKeyMetadata
	require.Equal(t, id, m.KeyID)
	require.Equal(t, chkARN("us-west-2", id), m.Arn)
	require.Equal(t, keystore.Creating, m.KeyState)
	require.False(t, m.Enabled)
	require.Equal(t, "", m.Description, "never the primary's description")
	require.Equal(t, env.Clock.Now(), m.CreationDate)
	require.True(t, m.MultiRegion)
	wantReplicas := []engine.MultiRegionKey{
		{Arn: chkARN("eu-west-1", id), Region: "eu-west-1"},
		{Arn: chkARN("us-west-2", id), Region: "us-west-2"},
	}
	require.Equal(t, &engine.MultiRegionConfiguration{
		MultiRegionKeyType: keystore.Replica,
		PrimaryKey:         engine.MultiRegionKey{Arn: chkARN("us-east-1", id), Region: "us-east-1"},
		ReplicaKeys:        wantReplicas,
	}, m.MultiRegionConfiguration)
	require.Nil(t, out.ReplicaTags, "ReplicaTags omitted without Tags")
	require.Equal(t, `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::`+chkAcct+`:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`, out.ReplicaPolicy)
	for _, r := range []region.ID{"us-east-1", "eu-west-1", "us-west-2"} {
		d := chkDescribe(t, env, r, id)
		require.Equal(t, wantReplicas, d.MultiRegionConfiguration.ReplicaKeys, "ReplicaKeys seen from %s", r)
		require.Equal(t, chkARN("us-east-1", id), d.MultiRegionConfiguration.PrimaryKey.Arn)
	}
	require.Empty(t, chkAllTags(t, env, env.Caller("us-west-2"), id), "never the primary's tags")
	require.Contains(t, env.Engine.Pending(),
		engine.Transition{Due: env.Clock.Now().Add(engine.DefaultCreatingDelay), Action: engine.FinishCreating, KeyARN: chkARN("us-west-2", id)})
	chkCreated(env)
	chkMustState(t, env, "us-west-2", id, keystore.Enabled)

	t.Run("with tags", func(t *testing.T) {
		out, err := env.Engine.ReplicateKey(env.Caller("us-east-1"), engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "ap-northeast-1",
			Tags: []keystore.Tag{{Key: "z", Value: "1"}, {Key: "a", Value: "2"}}, Description: "replica"})
		require.NoError(t, err)
		require.ElementsMatch(t, []keystore.Tag{{Key: "a", Value: "2"}, {Key: "z", Value: "1"}}, out.ReplicaTags)
		require.Equal(t, "replica", out.ReplicaKeyMetadata.Description)
	})
}

// TestSpecUpdatePrimaryRegionSuccess checks the immediate role switch and
// the Updating period (spec §6.1 items 2-4).
func TestSpecUpdatePrimaryRegionSuccess(t *testing.T) {
	t.Parallel()
	env := kmstest.NewEnv(t)
	id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{Description: "d-east"})
	for _, r := range []region.ID{"us-west-2", "eu-west-1", "ap-northeast-1"} {
		chkReplicate(t, env, id, "us-east-1", r)
	}
	chkCreated(env)
	_, err := env.Engine.TagResource(env.Caller("us-west-2"), engine.TagResourceInput{KeyID: id, Tags: []keystore.Tag{{Key: "w", Value: "2"}}})
	require.NoError(t, err)

	chkPromote(t, env, id, "us-east-1", "eu-west-1")
	now := env.Clock.Now()
	wantCfg := func(kind keystore.MultiRegionKeyType) *engine.MultiRegionConfiguration {
		return &engine.MultiRegionConfiguration{
			MultiRegionKeyType: kind,
			PrimaryKey:         engine.MultiRegionKey{Arn: chkARN("eu-west-1", id), Region: "eu-west-1"},
			ReplicaKeys: []engine.MultiRegionKey{
				{Arn: chkARN("us-west-2", id), Region: "us-west-2"},
				{Arn: chkARN("ap-northeast-1", id), Region: "ap-northeast-1"},
				{Arn: chkARN("us-east-1", id), Region: "us-east-1"},
			},
		}
	}
	for r, want := range map[region.ID]struct {
		state keystore.KeyState
		kind  keystore.MultiRegionKeyType
	}{
		"eu-west-1":      {keystore.Updating, keystore.Primary},
		"us-east-1":      {keystore.Updating, keystore.Replica},
		"us-west-2":      {keystore.Enabled, keystore.Replica},
		"ap-northeast-1": {keystore.Enabled, keystore.Replica},
	} {
		m := chkDescribe(t, env, r, id)
		require.Equal(t, want.state, m.KeyState, r)
		require.Equal(t, want.state == keystore.Enabled, m.Enabled, r)
		require.Equal(t, wantCfg(want.kind), m.MultiRegionConfiguration, r)
	}
	require.Equal(t, "d-east", chkDescribe(t, env, "us-east-1", id).Description)
	require.Equal(t, []keystore.Tag{{Key: "w", Value: "2"}}, chkAllTags(t, env, env.Caller("us-west-2"), id))
	due := now.Add(engine.DefaultUpdatingDelay)
	require.ElementsMatch(t, []engine.Transition{
		{Due: due, Action: engine.FinishUpdating, KeyARN: chkARN("us-east-1", id)},
		{Due: due, Action: engine.FinishUpdating, KeyARN: chkARN("eu-west-1", id)},
	}, env.Engine.Pending())

	env.Advance(engine.DefaultUpdatingDelay - time.Nanosecond)
	chkMustState(t, env, "eu-west-1", id, keystore.Updating)
	env.Advance(time.Nanosecond)
	chkMustState(t, env, "eu-west-1", id, keystore.Enabled)
	chkMustState(t, env, "us-east-1", id, keystore.Enabled)
	require.Empty(t, env.Engine.Pending())

	// The new primary replicates; the demoted one cannot.
	chkReplicate(t, env, id, "eu-west-1", "eu-west-2")
	_, err = env.Engine.ReplicateKey(env.Caller("us-east-1"), engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "eu-west-3"})
	chkRequireErr(t, err, &kmserrors.UnsupportedOperationException{Message: chkARN("us-east-1", id) + " is not a multi-region primary key."})
}

// TestSpecScheduleKeyDeletion covers ScheduleKeyDeletion and
// CancelKeyDeletion (spec §4.4, §4.5, §6.3).
func TestSpecScheduleKeyDeletion(t *testing.T) {
	t.Parallel()
	const day = 24 * time.Hour
	windowMsg := &kmserrors.ValidationException{Message: "PendingWindowInDays must be between 7 and 30 (inclusive)."}

	t.Run("window", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			days int
			want kmserrors.APIError
		}{
			{6, windowMsg},
			{31, windowMsg},
			{1, windowMsg},
			{365, windowMsg},
			{366, &kmserrors.ValidationException{Message: chkOne("'366'", "pendingWindowInDays", "have value less than or equal to 365")}},
			{-1, &kmserrors.ValidationException{Message: chkOne("'-1'", "pendingWindowInDays", "have value greater than or equal to 1")}},
		} {
			t.Run(fmt.Sprint(tc.days), func(t *testing.T) {
				t.Parallel()
				env := kmstest.NewEnv(t)
				id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
				chkFails(t, env, tc.want, func() error {
					_, err := env.Engine.ScheduleKeyDeletion(env.Caller("us-east-1"), engine.ScheduleKeyDeletionInput{KeyID: id, PendingWindowInDays: tc.days})
					return err
				})
			})
		}
		for _, tc := range []struct{ days, want int }{{0, 30}, {7, 7}, {30, 30}} {
			t.Run(fmt.Sprint(tc.days), func(t *testing.T) {
				t.Parallel()
				env := kmstest.NewEnv(t)
				id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
				out := chkSchedule(t, env, "us-east-1", id, tc.days)
				require.Equal(t, &engine.ScheduleKeyDeletionOutput{
					KeyID:               chkARN("us-east-1", id),
					DeletionDate:        env.Clock.Now().Add(time.Duration(tc.want) * day),
					KeyState:            keystore.PendingDeletion,
					PendingWindowInDays: tc.want,
				}, out)
				m := chkDescribe(t, env, "us-east-1", id)
				require.Equal(t, out.DeletionDate, m.DeletionDate)
				require.Zero(t, m.PendingDeletionWindowInDays)
				require.Equal(t, []engine.Transition{{Due: out.DeletionDate, Action: engine.DeleteKey, KeyARN: chkARN("us-east-1", id)}}, env.Engine.Pending())
			})
		}
	})

	t.Run("primary waits for its last replica", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		c := env.Caller("us-east-1")
		id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
		chkReplicate(t, env, id, "us-east-1", "us-west-2")
		chkReplicate(t, env, id, "us-east-1", "eu-west-1")
		chkCreated(env)

		out, err := env.Engine.ScheduleKeyDeletion(c, engine.ScheduleKeyDeletionInput{KeyID: id, PendingWindowInDays: 7})
		require.NoError(t, err)
		require.Equal(t, &engine.ScheduleKeyDeletionOutput{KeyID: chkARN("us-east-1", id), KeyState: keystore.PendingReplicaDeletion, PendingWindowInDays: 7}, out)
		require.True(t, out.DeletionDate.IsZero(), "no DeletionDate for PendingReplicaDeletion")
		raw, err := json.Marshal(out)
		require.NoError(t, err)
		require.NotContains(t, string(raw), "eletionDate")
		m := chkDescribe(t, env, "us-east-1", id)
		require.Equal(t, keystore.PendingReplicaDeletion, m.KeyState)
		require.False(t, m.Enabled)
		require.EqualValues(t, 7, m.PendingDeletionWindowInDays)
		require.True(t, m.DeletionDate.IsZero())
		require.Empty(t, env.Engine.Pending(), "the primary's window has not started")

		t0 := env.Clock.Now()
		west := chkSchedule(t, env, "us-west-2", id, 7)
		require.Equal(t, t0.Add(7*day), west.DeletionDate)
		env.Advance(day)
		eu := chkSchedule(t, env, "eu-west-1", id, 10)
		euGone := t0.Add(11 * day)
		require.Equal(t, euGone, eu.DeletionDate)
		// A replica pending deletion stays listed until it is deleted.
		require.Len(t, chkDescribe(t, env, "us-east-1", id).MultiRegionConfiguration.ReplicaKeys, 2)

		env.Clock.Set(t0.Add(7 * day))
		env.Engine.Pending()
		_, err = env.Engine.DescribeKey(env.Caller("us-west-2"), engine.DescribeKeyInput{KeyID: id})
		chkRequireErr(t, err, &kmserrors.NotFoundException{Message: "Key '" + chkARN("us-west-2", id) + "' does not exist"})
		onlyEU := []engine.MultiRegionKey{{Arn: chkARN("eu-west-1", id), Region: "eu-west-1"}}
		require.Equal(t, onlyEU, chkDescribe(t, env, "us-east-1", id).MultiRegionConfiguration.ReplicaKeys)
		require.Equal(t, onlyEU, chkDescribe(t, env, "eu-west-1", id).MultiRegionConfiguration.ReplicaKeys)
		chkMustState(t, env, "us-east-1", id, keystore.PendingReplicaDeletion)

		env.Clock.Set(euGone)
		m = chkDescribe(t, env, "us-east-1", id)
		require.Equal(t, keystore.PendingDeletion, m.KeyState)
		require.Equal(t, euGone.Add(7*day), m.DeletionDate, "window starts when the last replica is deleted")
		require.Zero(t, m.PendingDeletionWindowInDays)
		require.Empty(t, m.MultiRegionConfiguration.ReplicaKeys)
		require.NotNil(t, m.MultiRegionConfiguration.ReplicaKeys)
		require.Equal(t, []engine.Transition{{Due: euGone.Add(7 * day), Action: engine.DeleteKey, KeyARN: chkARN("us-east-1", id)}}, env.Engine.Pending())

		env.Clock.Set(euGone.Add(7*day - time.Nanosecond))
		chkMustState(t, env, "us-east-1", id, keystore.PendingDeletion)
		env.Advance(time.Nanosecond)
		notFound := &kmserrors.NotFoundException{Message: "Key '" + chkARN("us-east-1", id) + "' does not exist"}
		_, err = env.Engine.DescribeKey(c, engine.DescribeKeyInput{KeyID: id})
		chkRequireErr(t, err, notFound)
		_, err = env.Engine.CancelKeyDeletion(c, engine.CancelKeyDeletionInput{KeyID: id})
		chkRequireErr(t, err, notFound)
		_, err = env.Engine.EnableKey(c, engine.EnableKeyInput{KeyID: chkARN("us-east-1", id)})
		chkRequireErr(t, err, notFound)
		keys, err := env.Engine.ListKeys(c, engine.ListKeysInput{})
		require.NoError(t, err)
		require.Empty(t, keys.Keys)
		require.Empty(t, env.Engine.Pending())
	})

	t.Run("replica of a primary that is not being deleted", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
		chkReplicate(t, env, id, "us-east-1", "us-west-2")
		// A Creating replica can be scheduled and stays PendingDeletion.
		out := chkSchedule(t, env, "us-west-2", id, 7)
		require.Equal(t, keystore.PendingDeletion, out.KeyState)
		require.Equal(t, chkARN("us-west-2", id), out.KeyID)
		chkCreated(env)
		chkMustState(t, env, "us-west-2", id, keystore.PendingDeletion)
		env.Settle()
		chkMustState(t, env, "us-east-1", id, keystore.Enabled)
		require.Empty(t, chkDescribe(t, env, "us-east-1", id).MultiRegionConfiguration.ReplicaKeys)
	})

	t.Run("primary whose only replica is already PendingDeletion", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
		chkReplicate(t, env, id, "us-east-1", "us-west-2")
		chkCreated(env)
		replica := chkSchedule(t, env, "us-west-2", id, 7)
		out := chkSchedule(t, env, "us-east-1", id, 20)
		require.Equal(t, keystore.PendingReplicaDeletion, out.KeyState, "a replica in any state counts")
		require.True(t, out.DeletionDate.IsZero())
		env.Clock.Set(replica.DeletionDate)
		m := chkDescribe(t, env, "us-east-1", id)
		require.Equal(t, keystore.PendingDeletion, m.KeyState)
		require.Equal(t, replica.DeletionDate.Add(20*day), m.DeletionDate)
	})

	t.Run("cancel withdraws exactly its own transition", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		a := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
		b := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
		m := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
		schedA := chkSchedule(t, env, "us-east-1", a, 7)
		chkSchedule(t, env, "us-east-1", b, 10)
		chkReplicate(t, env, m, "us-east-1", "us-west-2")
		require.Len(t, env.Engine.Pending(), 3)
		chkReplicate(t, env, m, "us-east-1", "eu-west-1")
		require.Len(t, env.Engine.Pending(), 4)
		require.NotPanics(t, func() {
			_, err := env.Engine.CancelKeyDeletion(env.Caller("us-east-1"), engine.CancelKeyDeletionInput{KeyID: b})
			require.NoError(t, err)
		}, "CancelKeyDeletion after Engine.Pending")
		now := env.Clock.Now()
		require.Equal(t, []engine.Transition{
			{Due: now.Add(engine.DefaultCreatingDelay), Action: engine.FinishCreating, KeyARN: chkARN("us-west-2", m)},
			{Due: now.Add(engine.DefaultCreatingDelay), Action: engine.FinishCreating, KeyARN: chkARN("eu-west-1", m)},
			{Due: schedA.DeletionDate, Action: engine.DeleteKey, KeyARN: chkARN("us-east-1", a)},
		}, env.Engine.Pending())
		env.Settle()
		chkMustState(t, env, "us-east-1", b, keystore.Disabled)
		_, err := env.Engine.DescribeKey(env.Caller("us-east-1"), engine.DescribeKeyInput{KeyID: a})
		chkRequireErr(t, err, &kmserrors.NotFoundException{Message: "Key '" + chkARN("us-east-1", a) + "' does not exist"})
	})

	t.Run("cancel", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			name   string
			origin keystore.Origin
			want   keystore.KeyState
		}{
			{"AWS_KMS key becomes Disabled", keystore.OriginAWSKMS, keystore.Disabled},
			{"EXTERNAL key without material returns to PendingImport", keystore.OriginExternal, keystore.PendingImport},
		} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				env := kmstest.NewEnv(t)
				id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{Origin: tc.origin})
				sched := chkSchedule(t, env, "us-east-1", id, 7)
				require.Equal(t, []engine.Transition{{Due: sched.DeletionDate, Action: engine.DeleteKey, KeyARN: chkARN("us-east-1", id)}}, env.Engine.Pending())
				var out *engine.CancelKeyDeletionOutput
				var err error
				require.NotPanics(t, func() {
					out, err = env.Engine.CancelKeyDeletion(env.Caller("us-east-1"), engine.CancelKeyDeletionInput{KeyID: id})
				}, "CancelKeyDeletion after Engine.Pending")
				require.NoError(t, err)
				require.Equal(t, chkARN("us-east-1", id), out.KeyID, "KeyId is the ARN")
				require.Empty(t, env.Engine.Pending(), "the DeleteKey transition is withdrawn")
				m := chkDescribe(t, env, "us-east-1", id)
				require.Equal(t, tc.want, m.KeyState)
				require.False(t, m.Enabled)
				require.True(t, m.DeletionDate.IsZero())
				env.Clock.Set(sched.DeletionDate.Add(day))
				chkMustState(t, env, "us-east-1", id, tc.want)
				// It can be scheduled again, with a fresh window.
				again := chkSchedule(t, env, "us-east-1", id, 0)
				require.Equal(t, env.Clock.Now().Add(30*day), again.DeletionDate)
			})
		}

		t.Run("primary in PendingReplicaDeletion", func(t *testing.T) {
			t.Parallel()
			env := kmstest.NewEnv(t)
			id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
			chkReplicate(t, env, id, "us-east-1", "us-west-2")
			chkCreated(env)
			chkSchedule(t, env, "us-east-1", id, 7)
			chkSchedule(t, env, "us-west-2", id, 7)
			out, err := env.Engine.CancelKeyDeletion(env.Caller("us-east-1"), engine.CancelKeyDeletionInput{KeyID: chkARN("us-east-1", id)})
			require.NoError(t, err)
			require.Equal(t, chkARN("us-east-1", id), out.KeyID)
			m := chkDescribe(t, env, "us-east-1", id)
			require.Equal(t, keystore.Disabled, m.KeyState)
			require.Zero(t, m.PendingDeletionWindowInDays)
			env.Settle() // the replica goes; the primary must not start a window
			m = chkDescribe(t, env, "us-east-1", id)
			require.Equal(t, keystore.Disabled, m.KeyState)
			require.True(t, m.DeletionDate.IsZero())
			require.Empty(t, env.Engine.Pending())
		})
	})
}

// TestSpecTags covers TagResource, UntagResource and ListResourceTags
// (spec §8).
func TestSpecTags(t *testing.T) {
	t.Parallel()

	t.Run("TagResource replaces values, keys are case-sensitive", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		c := env.Caller("us-east-1")
		id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{Tags: []keystore.Tag{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}}})
		_, err := env.Engine.TagResource(c, engine.TagResourceInput{KeyID: id, Tags: []keystore.Tag{{Key: "a", Value: "3"}, {Key: "A", Value: "4"}}})
		require.NoError(t, err)
		require.Equal(t, []keystore.Tag{{Key: "A", Value: "4"}, {Key: "a", Value: "3"}, {Key: "b", Value: "2"}}, chkAllTags(t, env, c, id))
	})

	t.Run("50-tag limit counts existing tags", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		c := env.Caller("us-east-1")
		id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{Tags: chkTags(49)})
		tooMany := &kmserrors.TagException{Message: "Too many tags"}
		chkFails(t, env, tooMany, func() error {
			_, err := env.Engine.TagResource(c, engine.TagResourceInput{KeyID: id, Tags: []keystore.Tag{{Key: "new1", Value: ""}, {Key: "new2", Value: ""}}})
			return err
		})
		// One new tag and one replaced value make exactly 50.
		_, err := env.Engine.TagResource(c, engine.TagResourceInput{KeyID: id, Tags: []keystore.Tag{{Key: "new1", Value: ""}, {Key: "k00", Value: "x"}}})
		require.NoError(t, err)
		require.Len(t, chkAllTags(t, env, c, id), 50)
		_, err = env.Engine.TagResource(c, engine.TagResourceInput{KeyID: id, Tags: []keystore.Tag{{Key: "k01", Value: "y"}}})
		require.NoError(t, err, "replacing a value at 50 tags")
		chkFails(t, env, tooMany, func() error {
			_, err := env.Engine.TagResource(c, engine.TagResourceInput{KeyID: id, Tags: []keystore.Tag{{Key: "new2", Value: ""}}})
			return err
		})
	})

	t.Run("errors", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		c := env.Caller("us-east-1")
		id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{Tags: []keystore.Tag{{Key: "keep", Value: "1"}}})
		for _, tc := range []struct {
			name string
			tags []keystore.Tag
			want kmserrors.APIError
		}{
			{"aws: prefix", []keystore.Tag{{Key: "aws:key1", Value: "v"}}, &kmserrors.TagException{Message: "Tags beginning with aws: are reserved"}},
			{"AWS: prefix", []keystore.Tag{{Key: "AWS:key1", Value: "v"}}, &kmserrors.TagException{Message: "Tags beginning with aws: are reserved"}},
			{"duplicate keys", []keystore.Tag{{Key: "x", Value: "1"}, {Key: "x", Value: "2"}}, &kmserrors.TagException{Message: "Duplicate tag keys"}},
			{"TagKey 129 characters", []keystore.Tag{{Key: strings.Repeat("k", 129), Value: ""}},
				&kmserrors.ValidationException{Message: chkOne("'"+strings.Repeat("k", 129)+"'", "tags.1.member.tagKey", "have length less than or equal to 128")}},
			{"TagValue 257 characters", []keystore.Tag{{Key: "ok", Value: ""}, {Key: "v", Value: strings.Repeat("v", 257)}},
				&kmserrors.ValidationException{Message: chkOne("'"+strings.Repeat("v", 257)+"'", "tags.2.member.tagValue", "have length less than or equal to 256")}},
			{"51 tags at once", chkTags(51), &kmserrors.TagException{Message: "Too many tags"}},
		} {
			t.Run("TagResource/"+tc.name, func(t *testing.T) {
				chkFails(t, env, tc.want, func() error {
					_, err := env.Engine.TagResource(c, engine.TagResourceInput{KeyID: id, Tags: tc.tags})
					return err
				})
			})
		}
		// The message for an empty list is not given by the spec (§8).
		t.Run("TagResource/empty list", func(t *testing.T) {
			for _, tags := range [][]keystore.Tag{nil, {}} {
				chkFailsType(t, env, &kmserrors.ValidationException{}, func() error {
					_, err := env.Engine.TagResource(c, engine.TagResourceInput{KeyID: id, Tags: tags})
					return err
				})
			}
		})
		t.Run("UntagResource/empty list", func(t *testing.T) {
			for _, keys := range [][]string{nil, {}} {
				chkFailsType(t, env, &kmserrors.ValidationException{}, func() error {
					_, err := env.Engine.UntagResource(c, engine.UntagResourceInput{KeyID: id, TagKeys: keys})
					return err
				})
			}
		})
	})

	t.Run("UntagResource ignores absent keys", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		c := env.Caller("us-east-1")
		id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{Tags: []keystore.Tag{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}}})
		_, err := env.Engine.UntagResource(c, engine.UntagResourceInput{KeyID: id, TagKeys: []string{"b", "zzz", "A"}})
		require.NoError(t, err)
		require.Equal(t, []keystore.Tag{{Key: "a", Value: "1"}}, chkAllTags(t, env, c, id))
		_, err = env.Engine.UntagResource(c, engine.UntagResourceInput{KeyID: id, TagKeys: []string{"nothing"}})
		require.NoError(t, err)
		require.Equal(t, []keystore.Tag{{Key: "a", Value: "1"}}, chkAllTags(t, env, c, id))
	})

	t.Run("tags are per related key", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{Tags: []keystore.Tag{{Key: "p", Value: "1"}}})
		chkReplicate(t, env, id, "us-east-1", "us-west-2")
		_, err := env.Engine.TagResource(env.Caller("us-west-2"), engine.TagResourceInput{KeyID: id, Tags: []keystore.Tag{{Key: "r", Value: "2"}}})
		require.NoError(t, err, "a Creating replica can be tagged")
		require.Equal(t, []keystore.Tag{{Key: "p", Value: "1"}}, chkAllTags(t, env, env.Caller("us-east-1"), id))
		require.Equal(t, []keystore.Tag{{Key: "r", Value: "2"}}, chkAllTags(t, env, env.Caller("us-west-2"), id))
	})

	t.Run("ListResourceTags paging", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		c := env.Caller("us-east-1")
		want := []keystore.Tag{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}, {Key: "c", Value: "3"}, {Key: "d", Value: "4"}, {Key: "e", Value: "5"}}
		id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{Tags: want})

		var got []keystore.Tag
		var sizes []int
		marker := ""
		for range 10 {
			out, err := env.Engine.ListResourceTags(c, engine.ListResourceTagsInput{KeyID: id, Limit: 2, Marker: marker})
			require.NoError(t, err)
			got = append(got, out.Tags...)
			sizes = append(sizes, len(out.Tags))
			if !out.Truncated {
				require.Empty(t, out.NextMarker, "no NextMarker on the last page")
				break
			}
			require.NotEmpty(t, out.NextMarker)
			marker = out.NextMarker
		}
		require.Equal(t, []int{2, 2, 1}, sizes)
		require.Equal(t, want, got, "every tag once, in order")

		out, err := env.Engine.ListResourceTags(c, engine.ListResourceTagsInput{KeyID: id, Limit: 5})
		require.NoError(t, err)
		require.Equal(t, want, out.Tags)
		require.False(t, out.Truncated)
		require.Empty(t, out.NextMarker)

		_, err = env.Engine.ListResourceTags(c, engine.ListResourceTagsInput{KeyID: id, Limit: 1001})
		chkRequireErr(t, err, &kmserrors.ValidationException{Message: chkOne("'1001'", "limit", "have value less than or equal to 1000")})
		_, err = env.Engine.ListResourceTags(c, engine.ListResourceTagsInput{KeyID: id, Limit: -1})
		chkRequireErr(t, err, &kmserrors.ValidationException{Message: chkOne("'-1'", "limit", "have value greater than or equal to 1")})
	})

	t.Run("ListResourceTags default limit is 50", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		c := env.Caller("us-east-1")
		id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{Tags: chkTags(50)})
		out, err := env.Engine.ListResourceTags(c, engine.ListResourceTagsInput{KeyID: id})
		require.NoError(t, err)
		require.Len(t, out.Tags, 50)
		require.False(t, out.Truncated)
	})

	t.Run("ListResourceTags without tags", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
		out, err := env.Engine.ListResourceTags(env.Caller("us-east-1"), engine.ListResourceTagsInput{KeyID: id})
		require.NoError(t, err)
		require.NotNil(t, out.Tags, "Tags is [] not nil")
		require.Empty(t, out.Tags)
		require.False(t, out.Truncated)
		raw, err := json.Marshal(out)
		require.NoError(t, err)
		require.Contains(t, string(raw), `"tags":[]`)
	})
}

// TestSpecListKeys covers ListKeys paging (spec §10.3).
func TestSpecListKeys(t *testing.T) {
	t.Parallel()

	t.Run("25 keys in pages of 10", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		c := env.Caller("us-east-1")
		var ids []string
		for i := range 25 {
			if i%5 == 0 {
				ids = append(ids, chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{}))
			} else {
				ids = append(ids, chkSingle(t, env, "us-east-1", engine.CreateKeyInput{}))
			}
		}
		chkSingle(t, env, "us-west-2", engine.CreateKeyInput{}) // another Region: not listed
		slices.Sort(ids)

		var got []string
		var sizes []int
		marker := ""
		for range 10 {
			out, err := env.Engine.ListKeys(c, engine.ListKeysInput{Limit: 10, Marker: marker})
			require.NoError(t, err)
			sizes = append(sizes, len(out.Keys))
			for _, k := range out.Keys {
				require.Equal(t, chkARN("us-east-1", k.KeyID), k.KeyArn)
				got = append(got, k.KeyID)
			}
			if !out.Truncated {
				require.Empty(t, out.NextMarker)
				break
			}
			require.NotEmpty(t, out.NextMarker)
			marker = out.NextMarker
		}
		require.Equal(t, []int{10, 10, 5}, sizes)
		require.Equal(t, ids, got, "sorted by key ID, no duplicates, no gaps")
	})

	t.Run("Limit 0 means 100", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		c := env.Caller("us-east-1")
		for range 101 {
			chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
		}
		out, err := env.Engine.ListKeys(c, engine.ListKeysInput{})
		require.NoError(t, err)
		require.Len(t, out.Keys, 100)
		require.True(t, out.Truncated)
		rest, err := env.Engine.ListKeys(c, engine.ListKeysInput{Marker: out.NextMarker})
		require.NoError(t, err)
		require.Len(t, rest.Keys, 1)
		require.False(t, rest.Truncated)
		require.Less(t, out.Keys[99].KeyID, rest.Keys[0].KeyID)

		all, err := env.Engine.ListKeys(c, engine.ListKeysInput{Limit: 1000})
		require.NoError(t, err)
		require.Len(t, all.Keys, 101)
		require.False(t, all.Truncated)
	})

	t.Run("Limit out of range", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
		c := env.Caller("us-east-1")
		_, err := env.Engine.ListKeys(c, engine.ListKeysInput{Limit: 1001})
		chkRequireErr(t, err, &kmserrors.ValidationException{Message: chkOne("'1001'", "limit", "have value less than or equal to 1000")})
		_, err = env.Engine.ListKeys(c, engine.ListKeysInput{Limit: -5})
		chkRequireErr(t, err, &kmserrors.ValidationException{Message: chkOne("'-5'", "limit", "have value greater than or equal to 1")})
	})

	t.Run("Region without keys", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		out, err := env.Engine.ListKeys(env.Caller("eu-north-1"), engine.ListKeysInput{})
		require.NoError(t, err)
		require.NotNil(t, out.Keys)
		require.Empty(t, out.Keys)
		require.False(t, out.Truncated)
	})

	t.Run("replicas are listed in their Region, deleted keys nowhere", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
		chkReplicate(t, env, id, "us-east-1", "us-west-2")
		out, err := env.Engine.ListKeys(env.Caller("us-west-2"), engine.ListKeysInput{})
		require.NoError(t, err)
		require.Equal(t, []engine.KeyListEntry{{KeyID: id, KeyArn: chkARN("us-west-2", id)}}, out.Keys)
		chkSchedule(t, env, "us-west-2", id, 7)
		out, err = env.Engine.ListKeys(env.Caller("us-west-2"), engine.ListKeysInput{})
		require.NoError(t, err)
		require.Len(t, out.Keys, 1, "a key pending deletion is still listed")
		env.Settle()
		out, err = env.Engine.ListKeys(env.Caller("us-west-2"), engine.ListKeysInput{})
		require.NoError(t, err)
		require.Empty(t, out.Keys)
	})
}
