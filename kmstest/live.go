package kmstest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// Timing of the live harness.
const (
	// livePoll is how often Settle asks real KMS about Creating and
	// Updating keys.
	livePoll = 2 * time.Second
	// liveSettleLimit bounds one Settle; KMS documents "a few seconds",
	// but replicas have been seen Creating for about a minute.
	liveSettleLimit = 5 * time.Minute
	// liveDeletionWindow is the deletion window of the keys Close cleans
	// up: the shortest KMS allows.
	liveDeletionWindow = 7
)

// LiveHarness returns a [RunConformance] harness constructor for real
// AWS KMS. newClient returns the client for a Region; nil means
// [LiveClient] with the credentials of [EnvCredentials]. The harness
// cannot advance a clock, so the scenarios that need a [ClockHarness]
// are skipped.
//
// Scenarios create real keys (in us-east-1, eu-west-1, ap-southeast-2
// and us-west-2). The harness remembers every key its clients create and
// Close schedules their deletion with the shortest window, 7 days; keys
// a scenario already scheduled keep their window. Settle polls
// DescribeKey on those keys until none is Creating or Updating, for at
// most five minutes.
//
// Run it only on purpose, in an account meant for tests: the kmstest
// package runs it with go test ./kmstest -run Conformance -kms.live.
func LiveHarness(newClient func(region string) API) func(context.Context, *testing.T) (Harness, error) {
	return func(_ context.Context, t *testing.T) (Harness, error) {
		if newClient == nil {
			creds, err := EnvCredentials()
			if err != nil {
				return nil, err
			}
			newClient = func(r string) API { return LiveClient(r, creds) }
		}
		return newLiveHarness(t, newClient, livePoll), nil
	}
}

// EnvCredentials returns static credentials from the environment
// variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and, optionally,
// AWS_SESSION_TOKEN, the first step of the SDK's default credential
// chain. It fails when either of the first two is unset.
func EnvCredentials() (aws.Credentials, error) {
	c := aws.Credentials{
		AccessKeyID:     os.Getenv("AWS_ACCESS_KEY_ID"),
		SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY"),
		SessionToken:    os.Getenv("AWS_SESSION_TOKEN"),
		Source:          "kmstest.EnvCredentials",
	}
	if c.AccessKeyID == "" || c.SecretAccessKey == "" {
		return aws.Credentials{}, errors.New("kmstest: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set to reach real AWS KMS")
	}
	return c, nil
}

// LiveClient returns a *kms.Client of real AWS KMS in region that signs
// with creds. Unlike the simulated harnesses' clients it keeps the SDK's
// default retries, which real KMS's throttling needs.
func LiveClient(region string, creds aws.Credentials) *kms.Client {
	return kms.New(kms.Options{
		Region: region,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return creds, nil
		}),
	})
}

// liveHarness runs scenarios against real KMS, remembering the keys it
// creates.
type liveHarness struct {
	t         *testing.T
	newClient func(string) API
	poll      time.Duration

	mu      sync.Mutex
	clients map[string]API
	keys    []liveKey // in creation order
}

func newLiveHarness(t *testing.T, newClient func(string) API, poll time.Duration) *liveHarness {
	return &liveHarness{t: t, newClient: newClient, poll: poll, clients: make(map[string]API)}
}

// liveKey is a key the harness created.
type liveKey struct {
	region, arn string
}

// Client implements [Harness.Client].
func (h *liveHarness) Client(region string) API {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, ok := h.clients[region]
	if !ok {
		c = &trackingClient{API: h.newClient(region), h: h}
		h.clients[region] = c
	}
	return c
}

// track remembers a key that a client of h created.
func (h *liveHarness) track(m *types.KeyMetadata) {
	if m == nil || m.Arn == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.keys = append(h.keys, liveKey{arnRegion(*m.Arn), *m.Arn})
}

func (h *liveHarness) tracked() []liveKey {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.keys)
}

// Settle implements [Harness.Settle] by polling.
func (h *liveHarness) Settle(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, liveSettleLimit)
	defer cancel()
	for {
		busy, err := h.busy(ctx)
		if err != nil {
			return err
		}
		if busy == "" {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("kmstest: %s is still Creating or Updating: %w", busy, ctx.Err())
		case <-time.After(h.poll):
		}
	}
}

// busy returns the ARN of a key of the harness that is Creating or
// Updating or rotating on demand, or "" when there is none.
func (h *liveHarness) busy(ctx context.Context) (string, error) {
	for _, k := range h.tracked() {
		out, err := h.Client(k.region).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(k.arn)})
		var notFound *types.NotFoundException
		switch {
		case errors.As(err, &notFound):
			continue
		case err != nil:
			return "", fmt.Errorf("kmstest: DescribeKey %s: %w", k.arn, err)
		}
		if s := out.KeyMetadata.KeyState; s == types.KeyStateCreating || s == types.KeyStateUpdating {
			return k.arn, nil
		}
		if out.KeyMetadata.KeySpec != types.KeySpecSymmetricDefault || out.KeyMetadata.KeyUsage != types.KeyUsageTypeEncryptDecrypt {
			continue
		}
		// An on-demand rotation runs in the background until
		// GetKeyRotationStatus drops its start date.
		st, err := h.Client(k.region).GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(k.arn)})
		switch {
		case errors.As(err, &notFound):
			continue
		case err != nil:
			return "", fmt.Errorf("kmstest: GetKeyRotationStatus %s: %w", k.arn, err)
		}
		if st.OnDemandRotationStartDate != nil {
			return k.arn, nil
		}
	}
	return "", nil
}

// Close implements [Harness.Close]: it schedules the deletion of every
// key the harness created, once they have settled (a key that is
// Updating cannot be scheduled).
func (h *liveHarness) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), liveSettleLimit+time.Minute)
	defer cancel()
	if err := h.Settle(ctx); err != nil {
		h.t.Logf("kmstest: cleanup: %v", err)
	}
	keys := h.tracked()
	// Newest first: replicas before their primaries.
	for _, k := range slices.Backward(keys) {
		_, err := h.Client(k.region).ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{
			KeyId:               aws.String(k.arn),
			PendingWindowInDays: aws.Int32(liveDeletionWindow),
		})
		var notFound *types.NotFoundException
		var invalidState *types.KMSInvalidStateException
		switch {
		case err == nil, errors.As(err, &notFound):
		case errors.As(err, &invalidState):
			// Most likely already pending deletion; say so if not.
			out, derr := h.Client(k.region).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(k.arn)})
			if derr != nil || (out.KeyMetadata.KeyState != types.KeyStatePendingDeletion &&
				out.KeyMetadata.KeyState != types.KeyStatePendingReplicaDeletion) {
				h.t.Errorf("kmstest: cleanup: cannot schedule the deletion of %s: %v", k.arn, err)
			}
		default:
			h.t.Errorf("kmstest: cleanup: cannot schedule the deletion of %s: %v", k.arn, err)
		}
	}
}

// trackingClient tells its harness about the keys it creates.
type trackingClient struct {
	API
	h *liveHarness
}

func (c *trackingClient) CreateKey(ctx context.Context, in *kms.CreateKeyInput, optFns ...func(*kms.Options)) (*kms.CreateKeyOutput, error) {
	out, err := c.API.CreateKey(ctx, in, optFns...)
	if err == nil {
		c.h.track(out.KeyMetadata)
	}
	return out, err
}

func (c *trackingClient) ReplicateKey(ctx context.Context, in *kms.ReplicateKeyInput, optFns ...func(*kms.Options)) (*kms.ReplicateKeyOutput, error) {
	out, err := c.API.ReplicateKey(ctx, in, optFns...)
	if err == nil {
		c.h.track(out.ReplicaKeyMetadata)
	}
	return out, err
}
