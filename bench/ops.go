package bench

import (
	"bytes"
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsim/kmsim/kmssdk"
)

// API is the part of *kms.Client the client-level scenarios call. Both
// the real client (over HTTP) and *kmssdk.Client (in process) have it.
type API interface {
	CreateKey(context.Context, *kms.CreateKeyInput, ...func(*kms.Options)) (*kms.CreateKeyOutput, error)
	DescribeKey(context.Context, *kms.DescribeKeyInput, ...func(*kms.Options)) (*kms.DescribeKeyOutput, error)
	ReplicateKey(context.Context, *kms.ReplicateKeyInput, ...func(*kms.Options)) (*kms.ReplicateKeyOutput, error)
	Encrypt(context.Context, *kms.EncryptInput, ...func(*kms.Options)) (*kms.EncryptOutput, error)
	Decrypt(context.Context, *kms.DecryptInput, ...func(*kms.Options)) (*kms.DecryptOutput, error)
}

var (
	_ API = (*kms.Client)(nil)
	_ API = (*kmssdk.Client)(nil)
)

// Op is one operation of a load test. Prepare makes what n calls need
// (keys to describe, primaries to replicate) before timing starts, and
// returns the call; the i-th call (0 <= i < n) may run concurrently with
// any other. The client must call in [Home].
type Op struct {
	Name    string
	Prepare func(ctx context.Context, c API, n int) (Call, error)
}

// Call is one prepared operation; i numbers the call.
type Call func(ctx context.Context, i int) error

// EncryptBytes is the plaintext size of the EncryptDecrypt operation.
const EncryptBytes = 1024

// describeKeys is how many keys DescribeKey cycles through; each has two
// replicas, as in the scale benchmarks.
const describeKeys = 16

// Ops returns the operations "kmsim bench" measures: CreateKey of a
// symmetric key, DescribeKey of a multi-Region key with two replicas,
// ReplicateKey of a primary into a new Region, and Encrypt followed by
// Decrypt of [EncryptBytes] bytes.
func Ops() []Op {
	return []Op{
		{Name: "CreateKey", Prepare: prepareCreateKey},
		{Name: "DescribeKey", Prepare: prepareDescribeKey},
		{Name: "ReplicateKey", Prepare: prepareReplicateKey},
		{Name: "EncryptDecrypt", Prepare: prepareEncryptDecrypt},
	}
}

// LookupOp returns the operation of [Ops] named name.
func LookupOp(name string) (Op, bool) {
	for _, op := range Ops() {
		if op.Name == name {
			return op, true
		}
	}
	return Op{}, false
}

func prepareCreateKey(_ context.Context, c API, _ int) (Call, error) {
	in := &kms.CreateKeyInput{}
	return func(ctx context.Context, _ int) error {
		_, err := c.CreateKey(ctx, in)
		return err
	}, nil
}

// newPrimaries creates n multi-Region primaries and returns their IDs.
func newPrimaries(ctx context.Context, c API, n int) ([]string, error) {
	ids := make([]string, n)
	for i := range ids {
		out, err := c.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
		if err != nil {
			return nil, fmt.Errorf("bench: CreateKey: %w", err)
		}
		ids[i] = aws.ToString(out.KeyMetadata.KeyId)
	}
	return ids, nil
}

func prepareDescribeKey(ctx context.Context, c API, _ int) (Call, error) {
	ids, err := newPrimaries(ctx, c, describeKeys)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		for _, r := range ReplicaRegions(Home, 2) {
			in := &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String(string(r))}
			if _, err := c.ReplicateKey(ctx, in); err != nil {
				return nil, fmt.Errorf("bench: ReplicateKey: %w", err)
			}
		}
	}
	ins := make([]*kms.DescribeKeyInput, len(ids))
	for i, id := range ids {
		ins[i] = &kms.DescribeKeyInput{KeyId: aws.String(id)}
	}
	return func(ctx context.Context, i int) error {
		_, err := c.DescribeKey(ctx, ins[i%len(ins)])
		return err
	}, nil
}

// prepareReplicateKey makes one primary per MaxReplicas calls: call i
// replicates primary i/MaxReplicas into the (i%MaxReplicas)-th Region.
func prepareReplicateKey(ctx context.Context, c API, n int) (Call, error) {
	ids, err := newPrimaries(ctx, c, (n+MaxReplicas-1)/MaxReplicas)
	if err != nil {
		return nil, err
	}
	regions := ReplicaRegions(Home, MaxReplicas)
	return func(ctx context.Context, i int) error {
		in := &kms.ReplicateKeyInput{
			KeyId:         aws.String(ids[i/MaxReplicas]),
			ReplicaRegion: aws.String(string(regions[i%MaxReplicas])),
		}
		_, err := c.ReplicateKey(ctx, in)
		return err
	}, nil
}

func prepareEncryptDecrypt(ctx context.Context, c API, _ int) (Call, error) {
	out, err := c.CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		return nil, fmt.Errorf("bench: CreateKey: %w", err)
	}
	p := Plaintext(EncryptBytes)
	enc := &kms.EncryptInput{KeyId: out.KeyMetadata.KeyId, Plaintext: p}
	return func(ctx context.Context, _ int) error {
		e, err := c.Encrypt(ctx, enc)
		if err != nil {
			return err
		}
		d, err := c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: e.CiphertextBlob})
		if err != nil {
			return err
		}
		if !bytes.Equal(d.Plaintext, p) || d.EncryptionAlgorithm != types.EncryptionAlgorithmSpecSymmetricDefault {
			return fmt.Errorf("bench: Decrypt returned %d bytes that differ from the plaintext", len(d.Plaintext))
		}
		return nil
	}, nil
}
