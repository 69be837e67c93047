package kmsconv_test

import (
	"testing"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/internal/kmsconv"
	"github.com/kmsim/kmsim/keystore"
)

// BenchmarkDescribeKeyOutput converts the metadata of a multi-Region
// primary with two replicas.
func BenchmarkDescribeKeyOutput(b *testing.B) {
	md := singleRegion()
	md.KeyID, md.Arn, md.MultiRegion = mrkID, usARN, true
	md.MultiRegionConfiguration = &engine.MultiRegionConfiguration{
		MultiRegionKeyType: keystore.Primary,
		PrimaryKey:         engine.MultiRegionKey{Arn: usARN, Region: "us-east-1"},
		ReplicaKeys:        []engine.MultiRegionKey{{Arn: euARN, Region: "eu-west-1"}, {Arn: apARN, Region: "ap-southeast-2"}},
	}
	out := &engine.DescribeKeyOutput{KeyMetadata: md}
	b.ReportAllocs()
	for b.Loop() {
		kmsconv.DescribeKeyOutput(out)
	}
}
