package kmstest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	smithy "github.com/aws/smithy-go"

	"github.com/kmsim/kmsim/kmssdk"
)

// API is the part of *kms.Client the conformance suite uses: every
// operation kmsim implements. It is [kmssdk.API], so a *kms.Client and a
// *kmssdk.Client both satisfy it.
type API = kmssdk.API

var _ API = (*kms.Client)(nil)

// Harness is one KMS for [RunConformance] to run a scenario against: the
// engine in process, kmsim over HTTP, or real AWS KMS. Each scenario gets
// a harness of its own.
type Harness interface {
	// Client returns a client calling the harness's KMS in a Region, as
	// one principal of one account for every Region.
	Client(region string) API
	// Settle returns once no key that the harness's clients created is
	// Creating or Updating any more, and no on-demand rotation of one
	// runs. It does not wait out deletion
	// windows; see [ClockHarness].
	Settle(ctx context.Context) error
	// Close releases the harness. RunConformance calls it when the
	// scenario ends.
	Close()
}

// ClockHarness is implemented by harnesses whose clock a scenario may
// move, which real AWS cannot do. Scenarios that wait out a deletion
// window need it and are skipped on harnesses without it.
type ClockHarness interface {
	// Advance moves the harness's clock forward by d and applies every
	// scheduled transition that falls due.
	Advance(d time.Duration)
}

// PrincipalHarness is implemented by harnesses that can add IAM users and
// roles to the account their clients call as, and call as them, which a
// test cannot do against real AWS without IAM permissions of its own. The
// authorization scenarios need it and are skipped on harnesses without
// it.
type PrincipalHarness interface {
	// ClientAs returns a client calling the harness's KMS in region as
	// principalARN: an IAM user or role that AddPrincipal made, or a
	// session of such a role.
	ClientAs(region, principalARN string) API
	// AddPrincipal creates the IAM user or role arn
	// (arn:<partition>:iam::<account>:user/<path/>Name or .../role/...)
	// in the account of the harness's clients and, unless identityPolicy
	// is empty, attaches that IAM identity policy document to it.
	AddPrincipal(ctx context.Context, arn string, identityPolicy string) error
}

// The Regions of the scenarios: all in the aws partition and enabled by
// default in every account, except otherPartition.
const (
	home           = "us-east-1"
	east           = "eu-west-1"
	south          = "ap-southeast-2"
	west           = "us-west-2"
	otherPartition = "cn-north-1"
)

// missingKeyID is a well-formed multi-Region key ID that no account holds.
const missingKeyID = "mrk-0123456789abcdef0123456789abcdef"

// day is the unit of deletion windows.
const day = 24 * time.Hour

// scenario is one subtest of the suite.
type scenario struct {
	name string
	// clock marks scenarios that need a [ClockHarness].
	clock bool
	// principals marks scenarios that need a [PrincipalHarness].
	principals bool
	run        func(s *session)
}

// groups lists the scenarios by the subtest that holds them.
var groups = []struct {
	name      string
	scenarios []scenario
}{
	{"ReplicateKey", []scenario{
		{name: "HappyPath", run: replicateHappyPath},
		{name: "SameRegionTwice", run: replicateSameRegionTwice},
		{name: "PrimaryRegion", run: replicatePrimaryRegion},
		{name: "OtherPartition", run: replicateOtherPartition},
		{name: "ReplicaAsSource", run: replicateReplicaAsSource},
		{name: "SingleRegionKey", run: replicateSingleRegionKey},
		{name: "Alias", run: replicateAlias},
		{name: "NotFound", run: replicateNotFound},
		{name: "DisabledPrimary", run: replicateDisabledPrimary},
		{name: "TagsAndDescription", run: replicateTagsAndDescription},
	}},
	{"UpdatePrimaryRegion", []scenario{
		{name: "Swap", run: updatePrimarySwap},
		{name: "ReplicaKeyID", run: updatePrimaryReplicaKeyID},
		{name: "MissingRegion", run: updatePrimaryMissingRegion},
		{name: "OwnRegion", run: updatePrimaryOwnRegion},
		{name: "TargetCreating", run: updatePrimaryTargetCreating},
		{name: "DisabledPrimary", run: updatePrimaryDisabledPrimary},
		{name: "DisabledTarget", run: updatePrimaryDisabledTarget},
		{name: "Alias", run: updatePrimaryAlias},
	}},
	{"Deletion", []scenario{
		{name: "Replica", run: deleteReplica},
		{name: "PrimaryWaitsForReplicas", run: deletePrimaryWaits},
		{name: "PrimaryAfterLastReplica", clock: true, run: deletePrimaryAfterLastReplica},
		{name: "Cancel", run: deleteCancel},
		{name: "Window", run: deleteWindow},
		{name: "NotFoundAfterDeletion", clock: true, run: deleteNotFoundAfter},
		{name: "RecreateReplica", clock: true, run: deleteRecreateReplica},
	}},
	{"Tags", []scenario{
		{name: "TagUntagList", run: tagsTagUntagList},
		{name: "ReservedPrefix", run: tagsReservedPrefix},
		{name: "DuplicateKeys", run: tagsDuplicateKeys},
		{name: "EmptyList", run: tagsEmptyList},
		{name: "Paging", run: tagsPaging},
		{name: "PendingDeletion", run: tagsPendingDeletion},
	}},
	{"Lifecycle", []scenario{
		{name: "CreateKey", run: lifecycleCreateKey},
		{name: "DisableEnable", run: lifecycleDisableEnable},
		{name: "StatePerKey", run: lifecycleStatePerKey},
		{name: "UpdateKeyDescription", run: lifecycleUpdateKeyDescription},
		{name: "ListKeysPaging", run: lifecycleListKeysPaging},
		{name: "NotFound", run: lifecycleNotFound},
	}},
	{"KeyPolicy", []scenario{
		{name: "DefaultPolicy", run: keyPolicyDefault},
		{name: "PutGetRoundTrip", run: keyPolicyPutGetRoundTrip},
		{name: "OtherPolicyName", run: keyPolicyOtherPolicyName},
		{name: "Malformed", run: keyPolicyMalformed},
		{name: "Lockout", run: keyPolicyLockout},
		{name: "TooLarge", run: keyPolicyTooLarge},
		{name: "ReplicaPolicyIndependent", run: keyPolicyReplicaPolicyIndependent},
	}},
	{"Crypto", []scenario{
		{name: "CrossRegionDecrypt", run: cryptoCrossRegionDecrypt},
		{name: "IncorrectKey", run: cryptoIncorrectKey},
	}},
	{"Authorization", []scenario{
		{name: "DeniedWithoutIAM", principals: true, run: authzDeniedWithoutIAM},
		{name: "AllowedByIAM", principals: true, run: authzAllowedByIAM},
		{name: "AllowedByKeyPolicy", principals: true, run: authzAllowedByKeyPolicy},
		{name: "KeyPolicyDenyWins", principals: true, run: authzKeyPolicyDenyWins},
		{name: "ReplicateNeedsCreateKeyInReplicaRegion", principals: true, run: authzReplicateNeedsCreateKey},
		{name: "UpdatePrimaryRegionNeedsBothKeys", principals: true, run: authzUpdatePrimaryRegionNeedsBothKeys},
	}},
	{"Asymmetric", []scenario{
		{name: "SignVerifyAcrossRegions", run: asymSignVerify},
		{name: "SignErrors", run: asymSignErrors},
		{name: "RSAEncryption", run: asymRSAEncryption},
		{name: "Mac", run: asymMac},
		{name: "DataKeyPair", run: asymDataKeyPair},
	}},
	{"Rotation", []scenario{
		{name: "EnableDisable", run: rotationEnableDisable},
		{name: "UnsupportedKey", run: rotationUnsupportedKey},
		{name: "OnDemand", run: rotationOnDemand},
		{name: "Automatic", clock: true, run: rotationAutomatic},
	}},
	{"Import", []scenario{
		{name: "Symmetric", run: importSymmetric},
		{name: "NotExternal", run: importNotExternal},
		{name: "MultiRegion", run: importMultiRegion},
		{name: "MultiRegionRotation", run: importMultiRegionRotation},
		{name: "Expiry", clock: true, run: importExpiry},
	}},
}

// RunConformance runs the conformance suite: scenarios of multi-Region
// keys, key states, deletion, tags, key policies, encryption across
// Regions and authorization, each a parallel subtest named like
// "ReplicateKey/SameRegionTwice" with a harness of its own from
// newHarness, which gets the subtest's context and T.
//
// Scenarios assert what KMS returns and the types of its errors (the
// SDK's *types.<Code>Exception, or the code of a smithy.APIError for
// errors such as ValidationException that only the AWS front end
// returns), never message text. They depend on no seed and on no clock
// except through [Harness.Settle], so that they run against real AWS KMS
// as well; the few that wait out deletion windows are skipped unless the
// harness is a [ClockHarness], and those that call as IAM users and
// roles other than the harness's own principal unless it is a
// [PrincipalHarness].
func RunConformance(t *testing.T, newHarness func(context.Context, *testing.T) (Harness, error)) {
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, sc := range g.scenarios {
				t.Run(sc.name, func(t *testing.T) {
					t.Parallel()
					runScenario(t, sc, newHarness)
				})
			}
		})
	}
}

func runScenario(t *testing.T, sc scenario, newHarness func(context.Context, *testing.T) (Harness, error)) {
	ctx := t.Context()
	h, err := newHarness(ctx, t)
	if err != nil {
		t.Fatalf("new harness: %v", err)
	}
	t.Cleanup(h.Close)
	s := &session{t: t, ctx: ctx, h: h}
	if sc.clock {
		c, ok := h.(ClockHarness)
		if !ok {
			t.Skip("the harness cannot advance its clock (no ClockHarness)")
		}
		s.clock = c
	}
	if sc.principals {
		p, ok := h.(PrincipalHarness)
		if !ok {
			t.Skip("the harness cannot add IAM principals (no PrincipalHarness)")
		}
		s.principals = p
	}
	sc.run(s)
}

// session is one scenario in progress.
type session struct {
	t     *testing.T
	ctx   context.Context
	h     Harness
	clock ClockHarness // nil unless the scenario needs it
	// principals is nil unless the scenario needs it.
	principals PrincipalHarness
}

func (s *session) client(region string) API { return s.h.Client(region) }

// settle lets Creating and Updating keys finish.
func (s *session) settle() {
	s.t.Helper()
	if err := s.h.Settle(s.ctx); err != nil {
		s.t.Fatalf("Settle: %v", err)
	}
}

// advance moves the clock of a ClockHarness.
func (s *session) advance(d time.Duration) {
	s.t.Helper()
	s.clock.Advance(d)
}

// must fails the scenario at once when a call that should succeed fails.
func (s *session) must(err error, format string, args ...any) {
	s.t.Helper()
	if err != nil {
		s.t.Fatalf("%s: %v", fmt.Sprintf(format, args...), err)
	}
}

// createKey creates a key in region and returns its metadata.
func (s *session) createKey(region string, in *kms.CreateKeyInput) *types.KeyMetadata {
	s.t.Helper()
	out, err := s.client(region).CreateKey(s.ctx, in)
	s.must(err, "CreateKey in %s", region)
	if out.KeyMetadata == nil || out.KeyMetadata.KeyId == nil || out.KeyMetadata.Arn == nil {
		s.t.Fatalf("CreateKey in %s: no KeyMetadata, KeyId or Arn: %+v", region, out.KeyMetadata)
	}
	return out.KeyMetadata
}

// primary creates a multi-Region primary key in home and returns its
// metadata.
func (s *session) primary() *types.KeyMetadata {
	s.t.Helper()
	return s.createKey(home, &kms.CreateKeyInput{
		Description: aws.String("kmsim conformance"),
		MultiRegion: aws.Bool(true),
	})
}

// replicate replicates key id from region from to region to.
func (s *session) replicate(from, id, to string) *kms.ReplicateKeyOutput {
	s.t.Helper()
	out, err := s.client(from).ReplicateKey(s.ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String(to)})
	s.must(err, "ReplicateKey from %s to %s", from, to)
	if out.ReplicaKeyMetadata == nil {
		s.t.Fatalf("ReplicateKey from %s to %s: no ReplicaKeyMetadata", from, to)
	}
	return out
}

// family creates a primary in home with a replica in every Region of
// replicas, lets them settle and returns the key ID and primary ARN.
func (s *session) family(replicas ...string) (id, arn string) {
	s.t.Helper()
	p := s.primary()
	id, arn = *p.KeyId, *p.Arn
	for _, r := range replicas {
		s.replicate(home, id, r)
	}
	if len(replicas) > 0 {
		s.settle()
	}
	return id, arn
}

// describe returns the metadata of key id in region.
func (s *session) describe(region, id string) *types.KeyMetadata {
	s.t.Helper()
	out, err := s.client(region).DescribeKey(s.ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	s.must(err, "DescribeKey %s in %s", id, region)
	if out.KeyMetadata == nil {
		s.t.Fatalf("DescribeKey %s in %s: no KeyMetadata", id, region)
	}
	return out.KeyMetadata
}

// wantState checks the state of key id in region and that Enabled agrees.
func (s *session) wantState(region, id string, want types.KeyState) *types.KeyMetadata {
	s.t.Helper()
	m := s.describe(region, id)
	if m.KeyState != want {
		s.t.Errorf("key %s in %s is %s, want %s", id, region, m.KeyState, want)
	}
	if m.Enabled != (want == types.KeyStateEnabled) {
		s.t.Errorf("key %s in %s (%s) has Enabled %v", id, region, m.KeyState, m.Enabled)
	}
	return m
}

// wantRole checks the multi-Region configuration a key reports: its own
// type, the primary and the replicas in order.
func (s *session) wantRole(region string, m *types.KeyMetadata, kind types.MultiRegionKeyType, primaryARN string, replicaARNs ...string) {
	s.t.Helper()
	c := m.MultiRegionConfiguration
	if !aws.ToBool(m.MultiRegion) || c == nil {
		s.t.Errorf("key in %s: MultiRegion %v, MultiRegionConfiguration %v", region, aws.ToBool(m.MultiRegion), c)
		return
	}
	if c.MultiRegionKeyType != kind {
		s.t.Errorf("key in %s is %s, want %s", region, c.MultiRegionKeyType, kind)
	}
	if c.PrimaryKey == nil || aws.ToString(c.PrimaryKey.Arn) != primaryARN || aws.ToString(c.PrimaryKey.Region) != arnRegion(primaryARN) {
		s.t.Errorf("key in %s reports PrimaryKey %s, want %s", region, describeMRK(c.PrimaryKey), primaryARN)
	}
	got := make([]string, len(c.ReplicaKeys))
	for i, r := range c.ReplicaKeys {
		got[i] = describeMRK(&r)
		if aws.ToString(r.Region) != arnRegion(aws.ToString(r.Arn)) {
			s.t.Errorf("key in %s lists replica %s", region, got[i])
		}
	}
	want := make([]string, len(replicaARNs))
	for i, a := range replicaARNs {
		want[i] = arnRegion(a) + " " + a
	}
	if !slices.Equal(got, want) {
		s.t.Errorf("key in %s reports ReplicaKeys\n  %s\nwant\n  %s", region, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func describeMRK(k *types.MultiRegionKey) string {
	if k == nil {
		return "<nil>"
	}
	return aws.ToString(k.Region) + " " + aws.ToString(k.Arn)
}

// inRegion returns the ARN of the key with ARN arn's ID in region r.
func inRegion(arn, r string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 {
		return arn
	}
	parts[3] = r
	return strings.Join(parts, ":")
}

// arnRegion returns the Region field of an ARN.
func arnRegion(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 {
		return ""
	}
	return parts[3]
}

// wantError checks that err is, or wraps, an E: one of the SDK's modeled
// KMS exceptions such as *types.NotFoundException.
func wantError[E error](s *session, err error, format string, args ...any) {
	s.t.Helper()
	var target E
	if !errors.As(err, &target) {
		s.t.Errorf("%s: got %v, want %T", fmt.Sprintf(format, args...), errOrNil(err), target)
	}
}

// wantCode checks that err carries the error code of an error only the
// AWS front end returns, such as ValidationException.
func (s *session) wantCode(err error, code string, format string, args ...any) {
	s.t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != code {
		s.t.Errorf("%s: got %v, want %s", fmt.Sprintf(format, args...), errOrNil(err), code)
	}
}

func errOrNil(err error) any {
	if err == nil {
		return "success"
	}
	return fmt.Sprintf("%T: %v", err, err)
}

// ---- ReplicateKey -------------------------------------------------------

func replicateHappyPath(s *session) {
	p := s.primary()
	id, arn := *p.KeyId, *p.Arn
	if !strings.HasPrefix(id, "mrk-") {
		s.t.Errorf("multi-Region key ID %s lacks the mrk- prefix", id)
	}
	s.wantRole(home, p, types.MultiRegionKeyTypePrimary, arn)

	out := s.replicate(home, id, east)
	r := out.ReplicaKeyMetadata
	if aws.ToString(r.KeyId) != id || aws.ToString(r.Arn) != inRegion(arn, east) {
		s.t.Errorf("replica KeyId %s, Arn %s; want %s, %s", aws.ToString(r.KeyId), aws.ToString(r.Arn), id, inRegion(arn, east))
	}
	if r.KeyState != types.KeyStateCreating || r.Enabled {
		s.t.Errorf("new replica is %s, Enabled %v; want Creating, false", r.KeyState, r.Enabled)
	}
	if r.KeySpec != p.KeySpec || r.KeyUsage != p.KeyUsage || r.Origin != p.Origin {
		s.t.Errorf("replica KeySpec %s, KeyUsage %s, Origin %s; primary has %s, %s, %s", r.KeySpec, r.KeyUsage, r.Origin, p.KeySpec, p.KeyUsage, p.Origin)
	}
	s.wantRole(east, r, types.MultiRegionKeyTypeReplica, arn, inRegion(arn, east))
	if aws.ToString(out.ReplicaPolicy) == "" {
		s.t.Error("ReplicateKey returned no ReplicaPolicy")
	}
	// The primary lists the replica at once, while it is still Creating.
	s.wantRole(home, s.describe(home, id), types.MultiRegionKeyTypePrimary, arn, inRegion(arn, east))

	s.replicate(home, id, south)
	s.settle()
	replicas := []string{inRegion(arn, east), inRegion(arn, south)}
	for _, region := range []string{home, east, south} {
		m := s.wantState(region, id, types.KeyStateEnabled)
		kind := types.MultiRegionKeyTypeReplica
		if region == home {
			kind = types.MultiRegionKeyTypePrimary
		}
		s.wantRole(region, m, kind, arn, replicas...)
	}
}

func replicateSameRegionTwice(s *session) {
	id, _ := s.family()
	s.replicate(home, id, east)
	_, err := s.client(home).ReplicateKey(s.ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String(east)})
	wantError[*types.AlreadyExistsException](s, err, "ReplicateKey to %s while the first replica is Creating", east)
	s.settle()
	_, err = s.client(home).ReplicateKey(s.ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String(east)})
	wantError[*types.AlreadyExistsException](s, err, "ReplicateKey to %s again", east)
}

func replicatePrimaryRegion(s *session) {
	id, _ := s.family()
	_, err := s.client(home).ReplicateKey(s.ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String(home)})
	s.wantCode(err, "ValidationException", "ReplicateKey to the primary's Region")
}

func replicateOtherPartition(s *session) {
	id, arn := s.family()
	_, err := s.client(home).ReplicateKey(s.ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String(otherPartition)})
	s.wantCode(err, "ValidationException", "ReplicateKey to %s", otherPartition)
	// Nothing was created.
	s.wantRole(home, s.describe(home, id), types.MultiRegionKeyTypePrimary, arn)
}

func replicateReplicaAsSource(s *session) {
	id, arn := s.family()
	replica := *s.replicate(home, id, east).ReplicaKeyMetadata.Arn
	// The type check answers before the state check: the replica is
	// still Creating.
	_, err := s.client(east).ReplicateKey(s.ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String(west)})
	wantError[*types.UnsupportedOperationException](s, err, "ReplicateKey of a Creating replica")
	s.settle()
	for _, k := range []string{id, replica} {
		_, err = s.client(east).ReplicateKey(s.ctx, &kms.ReplicateKeyInput{KeyId: aws.String(k), ReplicaRegion: aws.String(west)})
		wantError[*types.UnsupportedOperationException](s, err, "ReplicateKey of replica %s", k)
	}
	s.wantRole(home, s.describe(home, id), types.MultiRegionKeyTypePrimary, arn, replica)
}

func replicateSingleRegionKey(s *session) {
	k := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	_, err := s.client(home).ReplicateKey(s.ctx, &kms.ReplicateKeyInput{KeyId: k.KeyId, ReplicaRegion: aws.String(east)})
	wantError[*types.UnsupportedOperationException](s, err, "ReplicateKey of a single-Region key")
}

func replicateAlias(s *session) {
	_, arn := s.family()
	aliasARN := strings.SplitN(arn, ":key/", 2)[0] + ":alias/kmsim-conformance"
	for _, keyID := range []string{"alias/kmsim-conformance", aliasARN} {
		_, err := s.client(home).ReplicateKey(s.ctx, &kms.ReplicateKeyInput{KeyId: aws.String(keyID), ReplicaRegion: aws.String(east)})
		wantError[*types.InvalidArnException](s, err, "ReplicateKey of %s", keyID)
	}
}

func replicateNotFound(s *session) {
	_, err := s.client(home).ReplicateKey(s.ctx, &kms.ReplicateKeyInput{KeyId: aws.String(missingKeyID), ReplicaRegion: aws.String(east)})
	wantError[*types.NotFoundException](s, err, "ReplicateKey of a key that does not exist")
}

func replicateDisabledPrimary(s *session) {
	id, _ := s.family()
	_, err := s.client(home).DisableKey(s.ctx, &kms.DisableKeyInput{KeyId: aws.String(id)})
	s.must(err, "DisableKey")
	_, err = s.client(home).ReplicateKey(s.ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String(east)})
	wantError[*types.DisabledException](s, err, "ReplicateKey of a disabled primary")
}

func replicateTagsAndDescription(s *session) {
	p := s.createKey(home, &kms.CreateKeyInput{
		Description: aws.String("primary description"),
		MultiRegion: aws.Bool(true),
		Tags:        []types.Tag{{TagKey: aws.String("role"), TagValue: aws.String("primary")}},
	})
	id := *p.KeyId
	out, err := s.client(home).ReplicateKey(s.ctx, &kms.ReplicateKeyInput{
		KeyId:         aws.String(id),
		ReplicaRegion: aws.String(east),
		Description:   aws.String("replica description"),
		Tags:          []types.Tag{{TagKey: aws.String("role"), TagValue: aws.String("replica")}, {TagKey: aws.String("extra"), TagValue: aws.String("")}},
	})
	s.must(err, "ReplicateKey with tags and a description")
	if got := aws.ToString(out.ReplicaKeyMetadata.Description); got != "replica description" {
		s.t.Errorf("ReplicateKey returned Description %q", got)
	}
	wantTags(s, "ReplicaTags", out.ReplicaTags, map[string]string{"role": "replica", "extra": ""})

	// A replica made without them has neither the primary's nor the
	// other replica's.
	bare := s.replicate(home, id, south)
	if got := aws.ToString(bare.ReplicaKeyMetadata.Description); got != "" {
		s.t.Errorf("replica without a description has %q", got)
	}
	if len(bare.ReplicaTags) != 0 {
		s.t.Errorf("replica without tags returned ReplicaTags %v", tagMap(bare.ReplicaTags))
	}
	s.settle()

	for _, c := range []struct {
		region, description string
		tags                map[string]string
	}{
		{home, "primary description", map[string]string{"role": "primary"}},
		{east, "replica description", map[string]string{"role": "replica", "extra": ""}},
		{south, "", map[string]string{}},
	} {
		if got := aws.ToString(s.describe(c.region, id).Description); got != c.description {
			s.t.Errorf("key in %s has Description %q, want %q", c.region, got, c.description)
		}
		wantTags(s, "tags in "+c.region, s.listTags(c.region, id), c.tags)
	}
}

// ---- UpdatePrimaryRegion ------------------------------------------------

func updatePrimarySwap(s *session) {
	id, arn := s.family(east, south)
	_, err := s.client(home).UpdatePrimaryRegion(s.ctx, &kms.UpdatePrimaryRegionInput{KeyId: aws.String(id), PrimaryRegion: aws.String(east)})
	s.must(err, "UpdatePrimaryRegion to %s", east)

	newPrimary := inRegion(arn, east)
	// The old primary moves to the end of ReplicaKeys.
	replicas := []string{inRegion(arn, south), arn}
	for _, c := range []struct {
		region string
		kind   types.MultiRegionKeyType
		state  types.KeyState
	}{
		{home, types.MultiRegionKeyTypeReplica, types.KeyStateUpdating},
		{east, types.MultiRegionKeyTypePrimary, types.KeyStateUpdating},
		{south, types.MultiRegionKeyTypeReplica, types.KeyStateEnabled},
	} {
		s.wantRole(c.region, s.wantState(c.region, id, c.state), c.kind, newPrimary, replicas...)
	}

	s.settle()
	for _, region := range []string{home, east, south} {
		s.wantState(region, id, types.KeyStateEnabled)
	}
	// Only the new primary can be replicated.
	_, err = s.client(home).ReplicateKey(s.ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String(west)})
	wantError[*types.UnsupportedOperationException](s, err, "ReplicateKey of the former primary")
	s.replicate(east, id, west)
	s.wantRole(home, s.describe(home, id), types.MultiRegionKeyTypeReplica, newPrimary, append(replicas, inRegion(arn, west))...)
}

func updatePrimaryReplicaKeyID(s *session) {
	id, _ := s.family(east)
	_, err := s.client(east).UpdatePrimaryRegion(s.ctx, &kms.UpdatePrimaryRegionInput{KeyId: aws.String(id), PrimaryRegion: aws.String(east)})
	wantError[*types.KMSInvalidStateException](s, err, "UpdatePrimaryRegion on a replica")
}

func updatePrimaryMissingRegion(s *session) {
	id, _ := s.family(east)
	_, err := s.client(home).UpdatePrimaryRegion(s.ctx, &kms.UpdatePrimaryRegionInput{KeyId: aws.String(id), PrimaryRegion: aws.String(west)})
	s.wantCode(err, "ValidationException", "UpdatePrimaryRegion to a Region without a replica")
}

func updatePrimaryOwnRegion(s *session) {
	id, arn := s.family(east)
	_, err := s.client(home).UpdatePrimaryRegion(s.ctx, &kms.UpdatePrimaryRegionInput{KeyId: aws.String(id), PrimaryRegion: aws.String(home)})
	s.must(err, "UpdatePrimaryRegion to the primary's own Region")
	s.wantRole(home, s.wantState(home, id, types.KeyStateEnabled), types.MultiRegionKeyTypePrimary, arn, inRegion(arn, east))
	s.wantState(east, id, types.KeyStateEnabled)
}

func updatePrimaryTargetCreating(s *session) {
	id, _ := s.family()
	s.replicate(home, id, east)
	_, err := s.client(home).UpdatePrimaryRegion(s.ctx, &kms.UpdatePrimaryRegionInput{KeyId: aws.String(id), PrimaryRegion: aws.String(east)})
	wantError[*types.KMSInvalidStateException](s, err, "UpdatePrimaryRegion to a Creating replica")
}

func updatePrimaryDisabledPrimary(s *session) {
	id, _ := s.family(east)
	_, err := s.client(home).DisableKey(s.ctx, &kms.DisableKeyInput{KeyId: aws.String(id)})
	s.must(err, "DisableKey on the primary")
	_, err = s.client(home).UpdatePrimaryRegion(s.ctx, &kms.UpdatePrimaryRegionInput{KeyId: aws.String(id), PrimaryRegion: aws.String(east)})
	wantError[*types.DisabledException](s, err, "UpdatePrimaryRegion of a disabled primary")
}

func updatePrimaryDisabledTarget(s *session) {
	id, _ := s.family(east)
	_, err := s.client(east).DisableKey(s.ctx, &kms.DisableKeyInput{KeyId: aws.String(id)})
	s.must(err, "DisableKey on the replica")
	_, err = s.client(home).UpdatePrimaryRegion(s.ctx, &kms.UpdatePrimaryRegionInput{KeyId: aws.String(id), PrimaryRegion: aws.String(east)})
	wantError[*types.DisabledException](s, err, "UpdatePrimaryRegion to a disabled replica")
	s.wantState(home, id, types.KeyStateEnabled)
}

func updatePrimaryAlias(s *session) {
	_, err := s.client(home).UpdatePrimaryRegion(s.ctx, &kms.UpdatePrimaryRegionInput{KeyId: aws.String("alias/kmsim-conformance"), PrimaryRegion: aws.String(east)})
	wantError[*types.InvalidArnException](s, err, "UpdatePrimaryRegion of an alias")
}

// ---- Deletion -----------------------------------------------------------

// schedule schedules key id in region for deletion after days.
func (s *session) schedule(region, id string, days int32) *kms.ScheduleKeyDeletionOutput {
	s.t.Helper()
	out, err := s.client(region).ScheduleKeyDeletion(s.ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id), PendingWindowInDays: aws.Int32(days)})
	s.must(err, "ScheduleKeyDeletion of %s in %s", id, region)
	return out
}

func deleteReplica(s *session) {
	id, arn := s.family(east)
	out := s.schedule(east, id, 7)
	if out.KeyState != types.KeyStatePendingDeletion || out.DeletionDate == nil ||
		aws.ToInt32(out.PendingWindowInDays) != 7 || aws.ToString(out.KeyId) != inRegion(arn, east) {
		s.t.Errorf("ScheduleKeyDeletion of the replica returned KeyId %s, KeyState %s, DeletionDate %v, PendingWindowInDays %v",
			aws.ToString(out.KeyId), out.KeyState, out.DeletionDate, aws.ToInt32(out.PendingWindowInDays))
	}
	if m := s.wantState(east, id, types.KeyStatePendingDeletion); m.DeletionDate == nil {
		s.t.Error("a PendingDeletion replica has no DeletionDate")
	}
	// The primary is unaffected and still lists the replica until it is
	// gone; its Region stays taken.
	s.wantRole(home, s.wantState(home, id, types.KeyStateEnabled), types.MultiRegionKeyTypePrimary, arn, inRegion(arn, east))
	_, err := s.client(home).ReplicateKey(s.ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String(east)})
	wantError[*types.AlreadyExistsException](s, err, "ReplicateKey to a Region whose replica is pending deletion")
	_, err = s.client(home).UpdatePrimaryRegion(s.ctx, &kms.UpdatePrimaryRegionInput{KeyId: aws.String(id), PrimaryRegion: aws.String(east)})
	wantError[*types.KMSInvalidStateException](s, err, "UpdatePrimaryRegion to a replica pending deletion")
}

func deletePrimaryWaits(s *session) {
	id, _ := s.family(east)
	out := s.schedule(home, id, 7)
	if out.KeyState != types.KeyStatePendingReplicaDeletion || out.DeletionDate != nil || aws.ToInt32(out.PendingWindowInDays) != 7 {
		s.t.Errorf("ScheduleKeyDeletion of a primary with a replica returned KeyState %s, DeletionDate %v, PendingWindowInDays %v",
			out.KeyState, out.DeletionDate, aws.ToInt32(out.PendingWindowInDays))
	}
	m := s.wantState(home, id, types.KeyStatePendingReplicaDeletion)
	if m.DeletionDate != nil || aws.ToInt32(m.PendingDeletionWindowInDays) != 7 {
		s.t.Errorf("PendingReplicaDeletion primary has DeletionDate %v, PendingDeletionWindowInDays %v", m.DeletionDate, aws.ToInt32(m.PendingDeletionWindowInDays))
	}
	s.wantState(east, id, types.KeyStateEnabled)

	_, err := s.client(home).ReplicateKey(s.ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String(south)})
	wantError[*types.KMSInvalidStateException](s, err, "ReplicateKey of a primary pending replica deletion")
	_, err = s.client(home).ScheduleKeyDeletion(s.ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id), PendingWindowInDays: aws.Int32(7)})
	wantError[*types.KMSInvalidStateException](s, err, "ScheduleKeyDeletion of a primary pending replica deletion")
}

func deletePrimaryAfterLastReplica(s *session) {
	id, arn := s.family(east, south)
	s.schedule(home, id, 7)
	s.schedule(east, id, 7)
	s.advance(8 * day)
	_, err := s.client(east).DescribeKey(s.ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	wantError[*types.NotFoundException](s, err, "DescribeKey of a deleted replica")
	// One replica is left, so the primary keeps waiting.
	m := s.wantState(home, id, types.KeyStatePendingReplicaDeletion)
	s.wantRole(home, m, types.MultiRegionKeyTypePrimary, arn, inRegion(arn, south))

	s.schedule(south, id, 7)
	s.advance(8 * day)
	m = s.wantState(home, id, types.KeyStatePendingDeletion)
	if m.DeletionDate == nil {
		s.t.Error("primary whose last replica is gone has no DeletionDate")
	}
	s.wantRole(home, m, types.MultiRegionKeyTypePrimary, arn)

	s.advance(8 * day)
	_, err = s.client(home).DescribeKey(s.ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	wantError[*types.NotFoundException](s, err, "DescribeKey of a deleted primary")
}

func deleteCancel(s *session) {
	k := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	id := *k.KeyId
	_, err := s.client(home).CancelKeyDeletion(s.ctx, &kms.CancelKeyDeletionInput{KeyId: aws.String(id)})
	wantError[*types.KMSInvalidStateException](s, err, "CancelKeyDeletion of a key not pending deletion")

	s.schedule(home, id, 7)
	_, err = s.client(home).ScheduleKeyDeletion(s.ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id), PendingWindowInDays: aws.Int32(7)})
	wantError[*types.KMSInvalidStateException](s, err, "ScheduleKeyDeletion of a key pending deletion")
	out, err := s.client(home).CancelKeyDeletion(s.ctx, &kms.CancelKeyDeletionInput{KeyId: aws.String(id)})
	s.must(err, "CancelKeyDeletion")
	if aws.ToString(out.KeyId) != *k.Arn {
		s.t.Errorf("CancelKeyDeletion returned KeyId %s, want the ARN %s", aws.ToString(out.KeyId), *k.Arn)
	}
	if m := s.wantState(home, id, types.KeyStateDisabled); m.DeletionDate != nil {
		s.t.Errorf("key whose deletion was cancelled has DeletionDate %v", m.DeletionDate)
	}
	_, err = s.client(home).EnableKey(s.ctx, &kms.EnableKeyInput{KeyId: aws.String(id)})
	s.must(err, "EnableKey after CancelKeyDeletion")
	s.wantState(home, id, types.KeyStateEnabled)

	// A primary waiting for its replicas comes back Disabled too.
	mrk, _ := s.family(east)
	s.schedule(home, mrk, 7)
	_, err = s.client(home).CancelKeyDeletion(s.ctx, &kms.CancelKeyDeletionInput{KeyId: aws.String(mrk)})
	s.must(err, "CancelKeyDeletion of a primary pending replica deletion")
	s.wantState(home, mrk, types.KeyStateDisabled)
	s.wantState(east, mrk, types.KeyStateEnabled)
}

func deleteWindow(s *session) {
	k := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	for _, days := range []int32{6, 31} {
		_, err := s.client(home).ScheduleKeyDeletion(s.ctx, &kms.ScheduleKeyDeletionInput{KeyId: k.KeyId, PendingWindowInDays: aws.Int32(days)})
		s.wantCode(err, "ValidationException", "ScheduleKeyDeletion with a window of %d days", days)
	}
	s.wantState(home, *k.KeyId, types.KeyStateEnabled)
}

func deleteNotFoundAfter(s *session) {
	k := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	id := *k.KeyId
	s.schedule(home, id, 7)
	s.advance(6 * day)
	s.wantState(home, id, types.KeyStatePendingDeletion)
	s.advance(2 * day)
	_, err := s.client(home).DescribeKey(s.ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	wantError[*types.NotFoundException](s, err, "DescribeKey of a deleted key")
	_, err = s.client(home).CancelKeyDeletion(s.ctx, &kms.CancelKeyDeletionInput{KeyId: aws.String(id)})
	wantError[*types.NotFoundException](s, err, "CancelKeyDeletion of a deleted key")
	if s.listKeys(home, 0)[id] {
		s.t.Errorf("ListKeys still lists deleted key %s", id)
	}
}

func deleteRecreateReplica(s *session) {
	id, arn := s.family(east)
	s.schedule(east, id, 7)
	s.advance(8 * day)
	s.wantRole(home, s.describe(home, id), types.MultiRegionKeyTypePrimary, arn)
	r := s.replicate(home, id, east).ReplicaKeyMetadata
	if aws.ToString(r.Arn) != inRegion(arn, east) {
		s.t.Errorf("recreated replica has ARN %s", aws.ToString(r.Arn))
	}
	s.settle()
	s.wantRole(east, s.wantState(east, id, types.KeyStateEnabled), types.MultiRegionKeyTypeReplica, arn, inRegion(arn, east))
}

// ---- Tags ---------------------------------------------------------------

// listTags returns every tag of key id in region, following NextMarker.
func (s *session) listTags(region, id string) []types.Tag {
	s.t.Helper()
	var tags []types.Tag
	in := &kms.ListResourceTagsInput{KeyId: aws.String(id)}
	for range 100 {
		out, err := s.client(region).ListResourceTags(s.ctx, in)
		s.must(err, "ListResourceTags of %s in %s", id, region)
		tags = append(tags, out.Tags...)
		if !out.Truncated {
			return tags
		}
		in.Marker = out.NextMarker
	}
	s.t.Fatalf("ListResourceTags of %s in %s: more than 100 pages", id, region)
	return nil
}

func tagMap(tags []types.Tag) map[string]string {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[aws.ToString(t.TagKey)] = aws.ToString(t.TagValue)
	}
	return m
}

// wantTags compares tags with want, in any order.
func wantTags(s *session, what string, tags []types.Tag, want map[string]string) {
	s.t.Helper()
	got := tagMap(tags)
	if len(got) != len(tags) {
		s.t.Errorf("%s repeat a key: %v", what, tags)
	}
	if len(got) != len(want) {
		s.t.Errorf("%s are %v, want %v", what, got, want)
		return
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			s.t.Errorf("%s are %v, want %v", what, got, want)
			return
		}
	}
}

func tag(k, v string) types.Tag { return types.Tag{TagKey: aws.String(k), TagValue: aws.String(v)} }

func tagsTagUntagList(s *session) {
	k := s.createKey(home, &kms.CreateKeyInput{
		Description: aws.String("kmsim conformance"),
		Tags:        []types.Tag{tag("team", "kms")},
	})
	id := *k.KeyId
	wantTags(s, "tags after CreateKey", s.listTags(home, id), map[string]string{"team": "kms"})

	_, err := s.client(home).TagResource(s.ctx, &kms.TagResourceInput{KeyId: aws.String(id), Tags: []types.Tag{tag("env", "test"), tag("team", "sim")}})
	s.must(err, "TagResource")
	wantTags(s, "tags after TagResource", s.listTags(home, id), map[string]string{"env": "test", "team": "sim"})

	_, err = s.client(home).UntagResource(s.ctx, &kms.UntagResourceInput{KeyId: aws.String(id), TagKeys: []string{"env", "absent"}})
	s.must(err, "UntagResource")
	wantTags(s, "tags after UntagResource", s.listTags(home, id), map[string]string{"team": "sim"})

	// Key ARNs work as well as key IDs.
	_, err = s.client(home).TagResource(s.ctx, &kms.TagResourceInput{KeyId: k.Arn, Tags: []types.Tag{tag("Team", "case")}})
	s.must(err, "TagResource by ARN")
	wantTags(s, "tags after TagResource by ARN", s.listTags(home, *k.Arn), map[string]string{"team": "sim", "Team": "case"})
}

func tagsReservedPrefix(s *session) {
	k := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	for _, key := range []string{"aws:name", "AWS:name", "Aws:name"} {
		_, err := s.client(home).TagResource(s.ctx, &kms.TagResourceInput{KeyId: k.KeyId, Tags: []types.Tag{tag(key, "x")}})
		wantError[*types.TagException](s, err, "TagResource with tag key %s", key)
	}
	wantTags(s, "tags after rejected TagResource", s.listTags(home, *k.KeyId), map[string]string{})
	_, err := s.client(home).CreateKey(s.ctx, &kms.CreateKeyInput{Description: aws.String("kmsim conformance"), Tags: []types.Tag{tag("aws:name", "x")}})
	wantError[*types.TagException](s, err, "CreateKey with tag key aws:name")
}

func tagsDuplicateKeys(s *session) {
	k := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	_, err := s.client(home).TagResource(s.ctx, &kms.TagResourceInput{KeyId: k.KeyId, Tags: []types.Tag{tag("a", "1"), tag("a", "2")}})
	wantError[*types.TagException](s, err, "TagResource with a repeated tag key")
}

func tagsEmptyList(s *session) {
	k := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	_, err := s.client(home).TagResource(s.ctx, &kms.TagResourceInput{KeyId: k.KeyId, Tags: []types.Tag{}})
	s.wantCode(err, "ValidationException", "TagResource with no tags")
	_, err = s.client(home).UntagResource(s.ctx, &kms.UntagResourceInput{KeyId: k.KeyId, TagKeys: []string{}})
	s.wantCode(err, "ValidationException", "UntagResource with no tag keys")
}

func tagsPaging(s *session) {
	want := map[string]string{"a": "1", "b": "2", "c": "3"}
	k := s.createKey(home, &kms.CreateKeyInput{
		Description: aws.String("kmsim conformance"),
		Tags:        []types.Tag{tag("a", "1"), tag("b", "2"), tag("c", "3")},
	})
	first, err := s.client(home).ListResourceTags(s.ctx, &kms.ListResourceTagsInput{KeyId: k.KeyId, Limit: aws.Int32(2)})
	s.must(err, "ListResourceTags with Limit 2")
	if len(first.Tags) != 2 || !first.Truncated || aws.ToString(first.NextMarker) == "" {
		s.t.Fatalf("first page of 3 tags with Limit 2: %d tags, Truncated %v, NextMarker %q", len(first.Tags), first.Truncated, aws.ToString(first.NextMarker))
	}
	second, err := s.client(home).ListResourceTags(s.ctx, &kms.ListResourceTagsInput{KeyId: k.KeyId, Limit: aws.Int32(2), Marker: first.NextMarker})
	s.must(err, "ListResourceTags with a Marker")
	if len(second.Tags) != 1 || second.Truncated || second.NextMarker != nil {
		s.t.Errorf("second page: %d tags, Truncated %v, NextMarker %q", len(second.Tags), second.Truncated, aws.ToString(second.NextMarker))
	}
	wantTags(s, "both pages", append(first.Tags, second.Tags...), want)
}

func tagsPendingDeletion(s *session) {
	k := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance"), Tags: []types.Tag{tag("a", "1")}})
	s.schedule(home, *k.KeyId, 7)
	_, err := s.client(home).TagResource(s.ctx, &kms.TagResourceInput{KeyId: k.KeyId, Tags: []types.Tag{tag("b", "2")}})
	wantError[*types.KMSInvalidStateException](s, err, "TagResource of a key pending deletion")
	_, err = s.client(home).UntagResource(s.ctx, &kms.UntagResourceInput{KeyId: k.KeyId, TagKeys: []string{"a"}})
	wantError[*types.KMSInvalidStateException](s, err, "UntagResource of a key pending deletion")
	wantTags(s, "tags of a key pending deletion", s.listTags(home, *k.KeyId), map[string]string{"a": "1"})
}

// ---- Lifecycle ----------------------------------------------------------

func lifecycleCreateKey(s *session) {
	k := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	if strings.HasPrefix(*k.KeyId, "mrk-") || aws.ToBool(k.MultiRegion) || k.MultiRegionConfiguration != nil {
		s.t.Errorf("single-Region key: KeyId %s, MultiRegion %v, MultiRegionConfiguration %v", *k.KeyId, aws.ToBool(k.MultiRegion), k.MultiRegionConfiguration)
	}
	if k.KeyState != types.KeyStateEnabled || !k.Enabled || k.KeySpec != types.KeySpecSymmetricDefault ||
		k.KeyUsage != types.KeyUsageTypeEncryptDecrypt || k.Origin != types.OriginTypeAwsKms || k.KeyManager != types.KeyManagerTypeCustomer {
		s.t.Errorf("new key: KeyState %s, Enabled %v, KeySpec %s, KeyUsage %s, Origin %s, KeyManager %s",
			k.KeyState, k.Enabled, k.KeySpec, k.KeyUsage, k.Origin, k.KeyManager)
	}
	if arnRegion(*k.Arn) != home || !strings.HasSuffix(*k.Arn, ":key/"+*k.KeyId) || aws.ToString(k.AWSAccountId) == "" {
		s.t.Errorf("new key: Arn %s, AWSAccountId %s", *k.Arn, aws.ToString(k.AWSAccountId))
	}
	if got := aws.ToString(s.describe(home, *k.Arn).KeyId); got != *k.KeyId {
		s.t.Errorf("DescribeKey by ARN returned KeyId %s", got)
	}
}

func lifecycleDisableEnable(s *session) {
	k := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	id := *k.KeyId
	for range 2 { // the second call changes nothing
		_, err := s.client(home).DisableKey(s.ctx, &kms.DisableKeyInput{KeyId: aws.String(id)})
		s.must(err, "DisableKey")
		s.wantState(home, id, types.KeyStateDisabled)
	}
	for range 2 {
		_, err := s.client(home).EnableKey(s.ctx, &kms.EnableKeyInput{KeyId: aws.String(id)})
		s.must(err, "EnableKey")
		s.wantState(home, id, types.KeyStateEnabled)
	}
	s.schedule(home, id, 7)
	_, err := s.client(home).EnableKey(s.ctx, &kms.EnableKeyInput{KeyId: aws.String(id)})
	wantError[*types.KMSInvalidStateException](s, err, "EnableKey of a key pending deletion")
	_, err = s.client(home).DisableKey(s.ctx, &kms.DisableKeyInput{KeyId: aws.String(id)})
	wantError[*types.KMSInvalidStateException](s, err, "DisableKey of a key pending deletion")
}

func lifecycleStatePerKey(s *session) {
	id, _ := s.family(east)
	_, err := s.client(home).DisableKey(s.ctx, &kms.DisableKeyInput{KeyId: aws.String(id)})
	s.must(err, "DisableKey on the primary")
	s.wantState(home, id, types.KeyStateDisabled)
	s.wantState(east, id, types.KeyStateEnabled)
	_, err = s.client(east).DisableKey(s.ctx, &kms.DisableKeyInput{KeyId: aws.String(id)})
	s.must(err, "DisableKey on the replica")
	_, err = s.client(home).EnableKey(s.ctx, &kms.EnableKeyInput{KeyId: aws.String(id)})
	s.must(err, "EnableKey on the primary")
	s.wantState(home, id, types.KeyStateEnabled)
	s.wantState(east, id, types.KeyStateDisabled)
}

func lifecycleUpdateKeyDescription(s *session) {
	id, _ := s.family(east)
	_, err := s.client(east).UpdateKeyDescription(s.ctx, &kms.UpdateKeyDescriptionInput{KeyId: aws.String(id), Description: aws.String("replica only")})
	s.must(err, "UpdateKeyDescription of the replica")
	_, err = s.client(home).UpdateKeyDescription(s.ctx, &kms.UpdateKeyDescriptionInput{KeyId: aws.String(id), Description: aws.String("")})
	s.must(err, "UpdateKeyDescription of the primary to empty")
	for region, want := range map[string]string{home: "", east: "replica only"} {
		if got := aws.ToString(s.describe(region, id).Description); got != want {
			s.t.Errorf("key in %s has Description %q, want %q", region, got, want)
		}
	}
	_, err = s.client(home).UpdateKeyDescription(s.ctx, &kms.UpdateKeyDescriptionInput{KeyId: aws.String(missingKeyID), Description: aws.String("x")})
	wantError[*types.NotFoundException](s, err, "UpdateKeyDescription of a key that does not exist")
}

// listKeys returns the IDs of every key in region, paging with limit
// (0: the default), and checks the pages.
func (s *session) listKeys(region string, limit int32) map[string]bool {
	s.t.Helper()
	ids := make(map[string]bool)
	in := &kms.ListKeysInput{}
	if limit > 0 {
		in.Limit = aws.Int32(limit)
	}
	for page := 0; ; page++ {
		if page == 10000 {
			s.t.Fatalf("ListKeys in %s: more than %d pages", region, page)
		}
		out, err := s.client(region).ListKeys(s.ctx, in)
		s.must(err, "ListKeys in %s, page %d", region, page)
		if limit > 0 && len(out.Keys) > int(limit) {
			s.t.Errorf("ListKeys with Limit %d returned %d keys", limit, len(out.Keys))
		}
		for _, k := range out.Keys {
			id := aws.ToString(k.KeyId)
			if ids[id] {
				s.t.Errorf("ListKeys in %s lists %s twice", region, id)
			}
			ids[id] = true
			if a := aws.ToString(k.KeyArn); arnRegion(a) != region || !strings.HasSuffix(a, ":key/"+id) {
				s.t.Errorf("ListKeys in %s lists %s with ARN %s", region, id, a)
			}
		}
		if !out.Truncated {
			if out.NextMarker != nil {
				s.t.Errorf("last ListKeys page has NextMarker %q", *out.NextMarker)
			}
			return ids
		}
		if aws.ToString(out.NextMarker) == "" {
			s.t.Fatalf("ListKeys page %d is Truncated without a NextMarker", page)
		}
		in.Marker = out.NextMarker
	}
}

func lifecycleListKeysPaging(s *session) {
	var created []string
	for range 3 {
		created = append(created, *s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")}).KeyId)
	}
	mrk, _ := s.family()
	created = append(created, mrk)
	for _, limit := range []int32{1, 2, 0} {
		ids := s.listKeys(home, limit)
		for _, id := range created {
			if !ids[id] {
				s.t.Errorf("ListKeys with Limit %d does not list %s", limit, id)
			}
		}
	}
	_, err := s.client(home).ListKeys(s.ctx, &kms.ListKeysInput{Limit: aws.Int32(1001)})
	s.wantCode(err, "ValidationException", "ListKeys with Limit 1001")
}

func lifecycleNotFound(s *session) {
	_, arn := s.family()
	for _, c := range []struct{ region, keyID string }{
		{home, missingKeyID},
		{home, "1234abcd-12ab-34cd-56ef-1234567890ab"},
		{home, "fake-key-id"},
		{east, arn},                  // an ARN of another Region
		{east, inRegion(arn, east)},  // no replica there
		{home, inRegion(arn, south)}, // ARN of another Region again
	} {
		_, err := s.client(c.region).DescribeKey(s.ctx, &kms.DescribeKeyInput{KeyId: aws.String(c.keyID)})
		wantError[*types.NotFoundException](s, err, "DescribeKey %s in %s", c.keyID, c.region)
	}
	_, err := s.client(home).DisableKey(s.ctx, &kms.DisableKeyInput{KeyId: aws.String(missingKeyID)})
	wantError[*types.NotFoundException](s, err, "DisableKey of a key that does not exist")
	_, err = s.client(home).ScheduleKeyDeletion(s.ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(missingKeyID), PendingWindowInDays: aws.Int32(7)})
	wantError[*types.NotFoundException](s, err, "ScheduleKeyDeletion of a key that does not exist")
}
