package kmsconv

import (
	"testing"
	"time"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/keystore"
)

// BenchmarkAppendDescribeKeyOutput writes the DescribeKey response of a
// multi-Region primary with two replicas, as the HTTP front does.
func BenchmarkAppendDescribeKeyOutput(b *testing.B) {
	const id = "mrk-1234abcd12ab34cd56ef1234567890ab"
	arn := func(r string) string { return "arn:aws:kms:" + r + ":111122223333:key/" + id }
	out := &engine.DescribeKeyOutput{KeyMetadata: engine.KeyMetadata{
		AWSAccountID:          "111122223333",
		KeyID:                 id,
		Arn:                   arn("us-east-1"),
		CreationDate:          time.Date(2026, 1, 2, 3, 4, 5, 678_000_000, time.UTC),
		Enabled:               true,
		KeyUsage:              keystore.EncryptDecrypt,
		KeyState:              keystore.Enabled,
		Origin:                keystore.OriginAWSKMS,
		KeyManager:            keystore.ManagerCustomer,
		CustomerMasterKeySpec: keystore.SymmetricDefault,
		KeySpec:               keystore.SymmetricDefault,
		EncryptionAlgorithms:  []string{"SYMMETRIC_DEFAULT"},
		MultiRegion:           true,
		MultiRegionConfiguration: &engine.MultiRegionConfiguration{
			MultiRegionKeyType: keystore.Primary,
			PrimaryKey:         engine.MultiRegionKey{Arn: arn("us-east-1"), Region: "us-east-1"},
			ReplicaKeys: []engine.MultiRegionKey{
				{Arn: arn("eu-west-1"), Region: "eu-west-1"},
				{Arn: arn("ap-southeast-2"), Region: "ap-southeast-2"},
			},
		},
	}}
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for b.Loop() {
		buf = appendMetadataOutput(buf[:0], "KeyMetadata", &out.KeyMetadata)
	}
	b.SetBytes(int64(len(buf)))
}
