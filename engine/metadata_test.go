package engine_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// The lists of a rendered KeyMetadata are the caller's: the right
// algorithms for every spec, whether they fit the response's own storage
// or not, and appending to or changing one list never reaches another
// list, another response or the engine.
func TestMetadataListsAreTheCallers(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := env.Caller(cryptoHome)
	for _, tc := range []struct {
		spec  keystore.KeySpec
		usage keystore.KeyUsage
		want  keystore.Algorithms
	}{
		{keystore.SymmetricDefault, keystore.EncryptDecrypt, keystore.Algorithms{Encryption: []string{"SYMMETRIC_DEFAULT"}}},
		{keystore.RSA2048, keystore.EncryptDecrypt, keystore.Algorithms{Encryption: []string{"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}}},
		{keystore.RSA3072, keystore.SignVerify, keystore.Algorithms{Signing: []string{
			"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
			"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
		}}},
		{keystore.ECCNISTEdwards25519, keystore.SignVerify, keystore.Algorithms{Signing: []string{"ED25519_SHA_512", "ED25519_PH_SHA_512"}}},
		{keystore.HMAC256, keystore.GenerateVerifyMAC, keystore.Algorithms{MAC: []string{"HMAC_SHA_256"}}},
		{keystore.ECCNISTP256, keystore.KeyAgreement, keystore.Algorithms{KeyAgreement: []string{"ECDH"}}},
	} {
		t.Run(string(tc.spec)+"/"+string(tc.usage), func(t *testing.T) {
			created, err := env.Engine.CreateKey(c, engine.CreateKeyInput{KeySpec: tc.spec, KeyUsage: tc.usage})
			require.NoError(t, err)
			id := created.KeyMetadata.KeyID
			first, err := env.Engine.DescribeKey(c, engine.DescribeKeyInput{KeyID: id})
			require.NoError(t, err)
			m := first.KeyMetadata
			got := keystore.Algorithms{Encryption: m.EncryptionAlgorithms, Signing: m.SigningAlgorithms, MAC: m.MacAlgorithms, KeyAgreement: m.KeyAgreementAlgorithms}
			require.Equal(t, tc.want, got)
			for _, list := range [][]string{m.EncryptionAlgorithms, m.SigningAlgorithms, m.MacAlgorithms, m.KeyAgreementAlgorithms} {
				assert.Equal(t, len(list), cap(list), "a list's capacity is its length, so append copies")
				for i := range list {
					list[i] = "changed"
				}
			}
			again, err := env.Engine.DescribeKey(c, engine.DescribeKeyInput{KeyID: id})
			require.NoError(t, err)
			m = again.KeyMetadata
			assert.Equal(t, tc.want, keystore.Algorithms{Encryption: m.EncryptionAlgorithms, Signing: m.SigningAlgorithms, MAC: m.MacAlgorithms, KeyAgreement: m.KeyAgreementAlgorithms})
		})
	}
}

// Replica lists of every length render in creation order and belong to
// the caller as the algorithm lists do.
func TestMetadataReplicaLists(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := env.Caller(cryptoHome)
	created, err := env.Engine.CreateKey(c, engine.CreateKeyInput{MultiRegion: true})
	require.NoError(t, err)
	id := created.KeyMetadata.KeyID
	var want []engine.MultiRegionKey
	for _, r := range []region.ID{"us-west-2", "eu-west-1", "ap-southeast-2", "eu-central-1"} {
		require.NotEqual(t, cryptoHome, r)
		_, err := env.Engine.ReplicateKey(c, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: r})
		require.NoError(t, err)
		want = append(want, engine.MultiRegionKey{Arn: keyARN(r, id), Region: r})
		out, err := env.Engine.DescribeKey(c, engine.DescribeKeyInput{KeyID: id})
		require.NoError(t, err)
		list := out.KeyMetadata.MultiRegionConfiguration.ReplicaKeys
		require.Equal(t, want, list)
		assert.Equal(t, len(list), cap(list))
		list[0].Arn = "changed"
		again, err := env.Engine.DescribeKey(c, engine.DescribeKeyInput{KeyID: id})
		require.NoError(t, err)
		assert.Equal(t, want, again.KeyMetadata.MultiRegionConfiguration.ReplicaKeys)
	}
}

// ReplicateKey's ReplicaTags are the caller's: changing them changes
// neither the replica's tags nor the response the event log keeps.
func TestReplicaTagsAreTheCallers(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := env.Caller(cryptoHome)
	created, err := env.Engine.CreateKey(c, engine.CreateKeyInput{MultiRegion: true})
	require.NoError(t, err)
	tags := []keystore.Tag{{Key: "team", Value: "blue"}}
	out, err := env.Engine.ReplicateKey(c, engine.ReplicateKeyInput{KeyID: created.KeyMetadata.KeyID, ReplicaRegion: "us-west-2", Tags: tags})
	require.NoError(t, err)
	out.ReplicaTags[0].Value = "changed"
	listed, err := env.Engine.ListResourceTags(env.Caller("us-west-2"), engine.ListResourceTagsInput{KeyID: created.KeyMetadata.KeyID})
	require.NoError(t, err)
	assert.Equal(t, tags, listed.Tags)
}
