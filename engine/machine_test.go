package engine_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// TestKeyMachine drives the engine with random sequences of KMS
// operations and compares every answer with a naive model of keys,
// multi-Region links, key states and scheduled transitions written from
// the spec (§3.2–§3.3, §4.3–§4.5, §5.6–§5.7, §6.1) without looking at
// engine internals. Replay a failure with -rapid.seed=N; run longer with
// -rapid.checks=N.
func TestKeyMachine(t *testing.T) {
	rapid.Check(t, keyMachineProperty(t))
}

// FuzzKeyMachine is the same property as a fuzz target.
func FuzzKeyMachine(f *testing.F) {
	// rapid reads a fuzz input as its stream of random bits and skips
	// inputs that end before the sequence does, so the seeds are long.
	for seed := range uint64(4) {
		src := rand.New(rand.NewPCG(seed, 0x6b6d73696d))
		data := make([]byte, 1<<14)
		for i := range data {
			data[i] = byte(src.Uint32())
		}
		f.Add(data)
	}
	// Inputs that draw the same action every step (see keyMachineProperty).
	f.Add(bytes.Repeat([]byte{0x00}, 1<<12))
	f.Add(bytes.Repeat([]byte{0xff}, 1<<12))
	f.Fuzz(func(t *testing.T, data []byte) {
		rapid.MakeFuzz(keyMachineProperty(t))(t, data)
	})
}

// keyMachineProperty is the property shared by the test and the fuzz
// target. tb is only used by kmstest.NewEnv to report setup failures.
//
// No action skips itself, even in a world with no keys yet: a fuzz input
// can draw the same action every time (a run of 0xff bytes does), and
// rapid fails a sequence in which every drawn action skips. An action
// with nothing to act on calls the engine with a junk or stale key ID
// (target's fallback) and checks the error instead.
func keyMachineProperty(tb testing.TB) func(*rapid.T) {
	return func(t *rapid.T) {
		t.Repeat(rapid.StateMachineActions(newKeyMachine(tb, t)))
	}
}

// ---------------------------------------------------------------------
// The world: two accounts, a handful of Regions.

// kmCNAccount owns the keys of the aws-cn partition; the default account
// (kmstest.DefaultAccount) owns those of the aws partition.
const kmCNAccount = "444455556666"

// kmRegionInfo is what the model knows about a Region code, written out by
// hand from spec §2 rather than taken from package region.
type kmRegionInfo struct {
	partition string
	exists    bool // a real KMS Region
	enabled   bool // usable by the partition's account (opt-in Regions must be enabled)
}

var kmRegionTable = map[region.ID]kmRegionInfo{
	"us-east-1":      {"aws", true, true},
	"us-west-2":      {"aws", true, true},
	"eu-west-1":      {"aws", true, true},
	"ap-east-1":      {"aws", true, true},  // opt-in, enabled at start
	"af-south-1":     {"aws", true, false}, // opt-in, never enabled
	"us-invalid-1":   {"aws", false, false},
	"cn-north-1":     {"aws-cn", true, true},
	"cn-northwest-1": {"aws-cn", true, true},
}

// kmHomeRegions are the Regions where keys can exist.
var kmHomeRegions = []region.ID{"us-east-1", "us-west-2", "eu-west-1", "ap-east-1", "cn-north-1", "cn-northwest-1"}

// kmBadRegions are Region inputs that must be rejected: an opt-in Region
// the account has not enabled, an unknown Region, a malformed code and a
// missing one.
var kmBadRegions = []region.ID{"af-south-1", "us-invalid-1", "Invalid_Region", ""}

// kmCallRegions are the endpoints operations are sent to; af-south-1 is not
// enabled, so every call there fails authentication.
var kmCallRegions = append(slices.Clone(kmHomeRegions), "af-south-1")

var (
	kmRegionCodeRe = regexp.MustCompile(`^([a-z]+-){2,3}\d+$`)
	kmNewKeyIDRe   = regexp.MustCompile(`^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$`)
	kmKeyIDRe      = regexp.MustCompile(`^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})$`)
)

func kmPartitionOf(r region.ID) string {
	if info, ok := kmRegionTable[r]; ok {
		return info.partition
	}
	if strings.HasPrefix(string(r), "cn-") {
		return "aws-cn"
	}
	return "aws"
}

func kmAccountFor(r region.ID) string {
	if kmPartitionOf(r) == "aws-cn" {
		return kmCNAccount
	}
	return kmstest.DefaultAccount
}

func kmCallerFor(r region.ID) engine.Caller {
	return engine.Caller{Account: kmAccountFor(r), Region: r}
}

// callable reports whether the account of r's partition may call KMS in r.
func kmCallable(r region.ID) bool { return kmRegionTable[r].enabled }

func kmARN(r region.ID, account, id string) string {
	return "arn:" + kmPartitionOf(r) + ":kms:" + string(r) + ":" + account + ":key/" + id
}

// ---------------------------------------------------------------------
// The naive model.

// Key states, spelled as KMS spells them.
const (
	kmCreating               = "Creating"
	kmEnabled                = "Enabled"
	kmDisabled               = "Disabled"
	kmPendingDeletion        = "PendingDeletion"
	kmPendingImport          = "PendingImport"
	kmPendingReplicaDeletion = "PendingReplicaDeletion"
	kmUpdating               = "Updating"
)

// Error codes the model predicts.
const (
	kmErrValidation   = "ValidationException"
	kmErrNotFound     = "NotFoundException"
	kmErrInvalidArn   = "InvalidArnException"
	kmErrUnsupported  = "UnsupportedOperationException"
	kmErrDisabled     = "DisabledException"
	kmErrInvalidState = "KMSInvalidStateException"
	kmErrAlreadyExist = "AlreadyExistsException"
	kmErrTag          = "TagException"
	kmErrUnrecognized = "UnrecognizedClientException"
)

// kmKey is one key in one Region: the independent properties (§3.3).
type kmKey struct {
	state        string
	description  string
	tags         map[string]string
	created      time.Time
	deletionDate time.Time // while PendingDeletion
	window       int       // days, while PendingDeletion or PendingReplicaDeletion
}

// kmFamily is a key ID: a single-Region key, or a multi-Region primary
// with its replicas.
type kmFamily struct {
	id, account, partition string
	multi                  bool
	spec, usage, origin    string
	primary                region.ID   // "" once the primary is deleted
	replicas               []region.ID // ReplicaKeys order
	keys                   map[region.ID]*kmKey
	// rotating is true while an on-demand rotation runs; onDemand counts
	// those started and rotations those completed.
	rotating            bool
	onDemand, rotations int
}

// regions lists the Regions holding the family's keys, primary first.
func (f *kmFamily) regions() []region.ID {
	var out []region.ID
	if f.primary != "" {
		out = append(out, f.primary)
	}
	return append(out, f.replicas...)
}

// Scheduled transitions.
const (
	kmTrCreating = "FinishCreating"
	kmTrUpdating = "FinishUpdating"
	kmTrDelete   = "DeleteKey"
	kmTrRotation = "FinishRotation"
)

type kmTransition struct {
	due    time.Time
	seq    int
	action string
	id     string
	region region.ID
}

type keyMachine struct {
	env *kmstest.Env

	now     time.Time
	fams    map[string]*kmFamily // live key IDs
	created []string             // every key ID ever created, in order
	born    map[string]region.ID // where each key ID was created
	queue   []kmTransition
	seq     int
}

func newKeyMachine(tb testing.TB, t *rapid.T) *keyMachine {
	seed := rapid.Uint64().Draw(t, "seed")
	// A short event log keeps the thousands of calls per sequence cheap;
	// the model does not look at events.
	env := kmstest.NewEnv(tb, kmstest.Seed(seed), kmstest.WithConfig(engine.Config{EventLogLimit: 64}))
	if err := env.Engine.EnableRegion(kmstest.DefaultAccount, "ap-east-1"); err != nil {
		t.Fatalf("EnableRegion: %v", err)
	}
	if err := env.Engine.CreateAccount(engine.AccountInput{ID: kmCNAccount, Partition: "aws-cn"}); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	return &keyMachine{
		env:  env,
		now:  env.Clock.Now(),
		fams: make(map[string]*kmFamily),
		born: make(map[string]region.ID),
	}
}

func (m *keyMachine) schedule(due time.Time, action, id string, r region.ID) {
	m.seq++
	m.queue = append(m.queue, kmTransition{due: due, seq: m.seq, action: action, id: id, region: r})
}

func (m *keyMachine) unschedule(action, id string, r region.ID) {
	m.queue = slices.DeleteFunc(m.queue, func(tr kmTransition) bool {
		return tr.action == action && tr.id == id && tr.region == r
	})
}

// settle applies every transition due at m.now in (due, seq) order,
// including those that applying others schedules.
func (m *keyMachine) settle() {
	for {
		next := -1
		for i, tr := range m.queue {
			if tr.due.After(m.now) {
				continue
			}
			if next < 0 || tr.due.Before(m.queue[next].due) ||
				(tr.due.Equal(m.queue[next].due) && tr.seq < m.queue[next].seq) {
				next = i
			}
		}
		if next < 0 {
			return
		}
		tr := m.queue[next]
		m.queue = slices.Delete(m.queue, next, next+1)
		m.apply(tr)
	}
}

func (m *keyMachine) apply(tr kmTransition) {
	f := m.fams[tr.id]
	if tr.action == kmTrRotation {
		// Rotation belongs to the family, not to the key it was asked on.
		if f != nil && f.rotating {
			f.rotating = false
			f.rotations++
		}
		return
	}
	if f == nil || f.keys[tr.region] == nil {
		return
	}
	k := f.keys[tr.region]
	switch tr.action {
	case kmTrCreating:
		if k.state == kmCreating {
			k.state = kmEnabled
			if f.origin == "EXTERNAL" {
				k.state = kmPendingImport
			}
		}
	case kmTrUpdating:
		if k.state == kmUpdating {
			k.state = kmEnabled
		}
	case kmTrDelete:
		delete(f.keys, tr.region)
		if f.primary == tr.region {
			f.primary = ""
		} else {
			f.replicas = slices.DeleteFunc(f.replicas, func(r region.ID) bool { return r == tr.region })
		}
		if len(f.keys) == 0 {
			delete(m.fams, f.id)
			return
		}
		// The last replica is gone: a primary waiting for it starts its
		// own window now (§4.4, §4.5).
		if f.primary != "" && len(f.replicas) == 0 {
			p := f.keys[f.primary]
			if p.state == kmPendingReplicaDeletion {
				p.state = kmPendingDeletion
				p.deletionDate = tr.due.Add(kmDays(p.window))
				m.schedule(p.deletionDate, kmTrDelete, f.id, f.primary)
			}
		}
	}
}

func kmDays(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

// lookup is spec §1.6 for the model: it resolves a KeyId input in Region r
// and returns the key or the error code.
func (m *keyMachine) lookup(in string, r region.ID, allowAlias bool) (*kmFamily, *kmKey, string) {
	id := in
	switch {
	case strings.HasPrefix(in, "arn:"):
		parts := strings.SplitN(in, ":", 6)
		if len(parts) != 6 || parts[2] != "kms" || parts[3] == "" || parts[4] == "" {
			return nil, nil, kmErrInvalidArn
		}
		kind, name, _ := strings.Cut(parts[5], "/")
		if (kind != "key" && kind != "alias") || name == "" {
			return nil, nil, kmErrInvalidArn
		}
		if kind == "alias" && !allowAlias {
			return nil, nil, kmErrInvalidArn
		}
		if region.ID(parts[3]) != r {
			return nil, nil, kmErrNotFound
		}
		if kind == "alias" {
			return nil, nil, kmErrNotFound // no aliases exist
		}
		id = name
	case strings.HasPrefix(in, "alias/"):
		if !allowAlias {
			return nil, nil, kmErrInvalidArn
		}
		return nil, nil, kmErrNotFound
	case !kmKeyIDRe.MatchString(in):
		return nil, nil, kmErrNotFound
	}
	f := m.fams[id]
	if f == nil || f.account != kmAccountFor(r) || f.keys[r] == nil {
		return nil, nil, kmErrNotFound
	}
	return f, f.keys[r], ""
}

// kmValidKeyID is the KeyIdType model constraint (required, 1..2048).
func kmValidKeyID(s string) bool { return s != "" && utf8.RuneCountInString(s) <= 2048 }

func kmValidRegion(r region.ID) bool {
	return r != "" && len(r) <= 32 && kmRegionCodeRe.MatchString(string(r))
}

func kmReservedTag(k string) bool { return strings.HasPrefix(strings.ToLower(k), "aws:") }

// kmTagsMalformed reports a TagList model-constraint violation (§8).
func kmTagsMalformed(tags []keystore.Tag) bool {
	for _, tg := range tags {
		n := utf8.RuneCountInString(tg.Key)
		if n < 1 || n > 128 || utf8.RuneCountInString(tg.Value) > 256 {
			return true
		}
	}
	return false
}

// kmTagRuleBroken reports a TagException condition (§8): reserved prefix,
// repeated key, or more than 50 tags on the key afterwards.
func kmTagRuleBroken(current map[string]string, tags []keystore.Tag) bool {
	seen := map[string]bool{}
	union := map[string]bool{}
	for k := range current {
		union[k] = true
	}
	for _, tg := range tags {
		if kmReservedTag(tg.Key) || seen[tg.Key] {
			return true
		}
		seen[tg.Key] = true
		union[tg.Key] = true
	}
	return len(union) > 50
}

// kmNotPendingDeletion is the state rule of UpdateKeyDescription,
// TagResource and UntagResource (§4.3).
func kmNotPendingDeletion(k *kmKey) string {
	if k.state == kmPendingDeletion || k.state == kmPendingReplicaDeletion {
		return kmErrInvalidState
	}
	return ""
}

// kmEnabledRequired is the error a non-Enabled key gives where Enabled is
// required (§4.2): DisabledException for Disabled, else KMSInvalidState.
func kmEnabledRequired(k *kmKey) string {
	switch k.state {
	case kmEnabled:
		return ""
	case kmDisabled:
		return kmErrDisabled
	}
	return kmErrInvalidState
}

// ---------------------------------------------------------------------
// Drawing inputs.

// kmRare is true once in n draws; shrinking makes it false.
func kmRare(t *rapid.T, label string, n int) bool {
	return rapid.IntRange(0, n-1).Draw(t, label) == n-1
}

// kmOften draws from rare once in n draws and from common otherwise;
// shrinking prefers common.
func kmOften[T any](t *rapid.T, label string, n int, common, rare []T) T {
	if kmRare(t, label+"Rare", n) {
		return rapid.SampledFrom(rare).Draw(t, label)
	}
	return rapid.SampledFrom(common).Draw(t, label)
}

var kmJunkKeyIDs = []string{
	"",
	"not-a-key",
	"mrk-1234",
	"mrk-0123456789abcdef0123456789abcdef",
	"0f0e0d0c-0b0a-4908-8706-050403020100",
	"alias/example",
	"arn:aws:kms:us-east-1:111122223333:alias/example",
	"arn:aws:s3:::bucket",
}

// liveIDs lists live key IDs in creation order.
func (m *keyMachine) liveIDs() []string {
	var out []string
	for _, id := range m.created {
		if m.fams[id] != nil {
			out = append(out, id)
		}
	}
	return out
}

// kmPick is a key ID and a Region to call.
type kmPick struct {
	ID     string
	Region region.ID
}

// target draws a KeyId input and the Region to call. Usually it is a live
// key called where it lives: one that satisfies prefer when there is one
// (so that sequences reach deep states), else any (its primary first when
// preferPrimary). Sometimes it is a deleted key, a junk identifier, a key
// ARN or another Region. It also returns the live family the input was
// drawn from, if any.
func (m *keyMachine) target(t *rapid.T, preferPrimary bool, prefer func(*kmFamily, region.ID) bool) (string, region.ID, *kmFamily) {
	live := m.liveIDs()
	var preferred []kmPick
	if prefer != nil {
		for _, id := range live {
			f := m.fams[id]
			for _, r := range f.regions() {
				if prefer(f, r) {
					preferred = append(preferred, kmPick{id, r})
				}
			}
		}
	}
	var p kmPick
	switch {
	case len(preferred) > 0 && !kmRare(t, "unpreferred", 4):
		p = rapid.SampledFrom(preferred).Draw(t, "preferred")
	case len(live) > 0 && !kmRare(t, "otherKey", 20):
		p.ID = rapid.SampledFrom(live).Draw(t, "key")
	case len(m.created) > 0 && rapid.Bool().Draw(t, "junk"):
		p.ID = rapid.SampledFrom(m.created).Draw(t, "anyKey")
	default:
		return rapid.SampledFrom(kmJunkKeyIDs).Draw(t, "junkKey"), rapid.SampledFrom(kmCallRegions).Draw(t, "callRegion"), nil
	}
	f := m.fams[p.ID]
	switch {
	case p.Region != "":
	case f == nil || kmRare(t, "wrongRegion", 10):
		p.Region = rapid.SampledFrom(kmCallRegions).Draw(t, "callRegion")
	case preferPrimary && f.primary != "" && !kmRare(t, "notPrimary", 4):
		p.Region = f.primary
	default:
		p.Region = rapid.SampledFrom(f.regions()).Draw(t, "callRegion")
	}
	switch form := rapid.IntRange(0, 19).Draw(t, "keyForm"); {
	case form < 15:
		return p.ID, p.Region, f
	case form < 19:
		return kmARN(p.Region, kmAccountFor(p.Region), p.ID), p.Region, f
	default:
		other := rapid.SampledFrom(kmHomeRegions).Draw(t, "arnRegion")
		return kmARN(other, kmAccountFor(other), p.ID), p.Region, f
	}
}

// kmInState returns a target preference for keys in one of states.
func kmInState(states ...string) func(*kmFamily, region.ID) bool {
	return func(f *kmFamily, r region.ID) bool { return slices.Contains(states, f.keys[r].state) }
}

// kmEnabledPrimary prefers Enabled multi-Region primaries for which more
// is true.
func kmEnabledPrimary(more func(*kmFamily) bool) func(*kmFamily, region.ID) bool {
	return func(f *kmFamily, r region.ID) bool {
		return f.multi && r == f.primary && f.keys[r].state == kmEnabled && more(f)
	}
}

// kmFreeRegions lists the home Regions of f's partition without a related key.
func kmFreeRegions(f *kmFamily) []region.ID {
	var out []region.ID
	for _, x := range kmHomeRegions {
		if kmPartitionOf(x) == f.partition && f.keys[x] == nil {
			out = append(out, x)
		}
	}
	return out
}

var (
	kmLongDescription = strings.Repeat("d", 8193)
	kmLongTagKey      = strings.Repeat("k", 129)
	kmLongTagValue    = strings.Repeat("v", 257)
	kmPlainTagKeys    = []string{"env", "team", "Owner"}
)

func kmDescription(t *rapid.T) string {
	return kmOften(t, "description", 20, []string{"", "k", "primary key", "Schlüssel ✓"}, []string{kmLongDescription})
}

// kmTags draws a tag list: a few ordinary tags, a bulk run of b00..b69
// (to reach the 50-tag limit), a broken list, or none.
func kmTags(t *rapid.T, label string) []keystore.Tag {
	switch mode := rapid.IntRange(0, 19).Draw(t, label+"Mode"); {
	case mode < 13:
		keys := rapid.SliceOfNDistinct(rapid.SampledFrom(kmPlainTagKeys), 1, 3, rapid.ID[string]).Draw(t, label+"Keys")
		out := make([]keystore.Tag, len(keys))
		for i, k := range keys {
			out[i] = keystore.Tag{Key: k, Value: rapid.SampledFrom([]string{"", "a", "prod"}).Draw(t, label+"Value")}
		}
		return out
	case mode < 16:
		start := rapid.IntRange(0, 40).Draw(t, label+"BulkStart")
		n := rapid.IntRange(10, 30).Draw(t, label+"BulkLen")
		out := make([]keystore.Tag, n)
		for i := range out {
			out[i] = keystore.Tag{Key: fmt.Sprintf("b%02d", start+i), Value: "v"}
		}
		return out
	case mode < 17:
		return rapid.SampledFrom([][]keystore.Tag{
			{{Key: "aws:created", Value: "x"}},
			{{Key: "env", Value: "a"}, {Key: "AWS:Upper", Value: "x"}},
			{{Key: "env", Value: "1"}, {Key: "env", Value: "2"}},
			{{Key: "", Value: "x"}},
			{{Key: kmLongTagKey, Value: "x"}},
			{{Key: "env", Value: kmLongTagValue}},
		}).Draw(t, label+"Broken")
	default:
		return nil
	}
}

// ---------------------------------------------------------------------
// Calling the engine.

func kmCode(err error) string {
	if err == nil {
		return ""
	}
	if ae, ok := kmserrors.As(err); ok {
		return ae.ErrorCode()
	}
	return "non-KMS error " + err.Error()
}

// expect runs one engine call. want lists the acceptable error codes;
// empty means the model predicts success. A failed call must leave the
// engine's observable state exactly as it was.
func (m *keyMachine) expect(t *rapid.T, what string, want []string, call func() error) bool {
	var before kmSnapshot
	if len(want) > 0 {
		before = m.snapshot(t)
	}
	err := call()
	got := kmCode(err)
	t.Logf("%s: want %v, got %q", what, want, got)
	switch {
	case len(want) == 0 && err != nil:
		t.Fatalf("%s: model predicts success, engine returned %v", what, err)
	case len(want) > 0 && err == nil:
		t.Fatalf("%s: model predicts %v, engine succeeded", what, want)
	case len(want) > 0 && !slices.Contains(want, got):
		t.Fatalf("%s: model predicts %v, engine returned %v", what, want, err)
	}
	if err != nil {
		kmEqual(t, before, m.snapshot(t), "%s failed with %s but changed the engine's state", what, got)
	}
	return err == nil
}

func kmCodes(c ...string) []string {
	var out []string
	for _, s := range c {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// kmSnapshot is everything observable about the keys: every key's metadata
// and tags in every Region, and the scheduled transitions.
type kmSnapshot struct {
	Keys    map[string]engine.KeyMetadata
	Tags    map[string][]keystore.Tag
	Pending []engine.Transition
}

func (m *keyMachine) snapshot(t *rapid.T) kmSnapshot {
	s := kmSnapshot{Keys: map[string]engine.KeyMetadata{}, Tags: map[string][]keystore.Tag{}}
	e := m.env.Engine
	for _, r := range kmHomeRegions {
		c := kmCallerFor(r)
		for _, entry := range m.listKeys(t, r, 1000) {
			d, err := e.DescribeKey(c, engine.DescribeKeyInput{KeyID: entry.KeyArn})
			if err != nil {
				t.Fatalf("snapshot: DescribeKey %s: %v", entry.KeyArn, err)
			}
			s.Keys[entry.KeyArn] = d.KeyMetadata
			s.Tags[entry.KeyArn] = m.listTags(t, r, entry.KeyArn, 0)
		}
	}
	s.Pending = e.Pending()
	return s
}

// listKeys reads every page of ListKeys in r.
func (m *keyMachine) listKeys(t *rapid.T, r region.ID, limit int) []engine.KeyListEntry {
	var all []engine.KeyListEntry
	marker := ""
	for {
		out, err := m.env.Engine.ListKeys(kmCallerFor(r), engine.ListKeysInput{Limit: limit, Marker: marker})
		if err != nil {
			t.Fatalf("ListKeys %s (limit %d, marker %q): %v", r, limit, marker, err)
		}
		if lim := kmOr(limit, 100); len(out.Keys) > lim {
			t.Fatalf("ListKeys %s: page of %d keys, limit %d", r, len(out.Keys), lim)
		}
		if out.Truncated && out.NextMarker == marker {
			t.Fatalf("ListKeys %s: NextMarker %q does not advance", r, marker)
		}
		if out.Truncated != (out.NextMarker != "") || (out.Truncated && len(out.Keys) == 0) {
			t.Fatalf("ListKeys %s: Truncated=%v NextMarker=%q with %d keys", r, out.Truncated, out.NextMarker, len(out.Keys))
		}
		all = append(all, out.Keys...)
		if !out.Truncated {
			return all
		}
		marker = out.NextMarker
	}
}

// listTags reads every page of ListResourceTags for keyID in r.
func (m *keyMachine) listTags(t *rapid.T, r region.ID, keyID string, limit int) []keystore.Tag {
	var all []keystore.Tag
	marker := ""
	for {
		out, err := m.env.Engine.ListResourceTags(kmCallerFor(r), engine.ListResourceTagsInput{KeyID: keyID, Limit: limit, Marker: marker})
		if err != nil {
			t.Fatalf("ListResourceTags %s in %s (limit %d, marker %q): %v", keyID, r, limit, marker, err)
		}
		if out.Tags == nil {
			t.Fatalf("ListResourceTags %s: Tags is null, want a list (§8)", keyID)
		}
		if lim := min(kmOr(limit, 50), 50); len(out.Tags) > lim {
			t.Fatalf("ListResourceTags %s: page of %d tags, limit %d", keyID, len(out.Tags), lim)
		}
		if out.Truncated && out.NextMarker == marker {
			t.Fatalf("ListResourceTags %s: NextMarker %q does not advance", keyID, marker)
		}
		if out.Truncated != (out.NextMarker != "") || (out.Truncated && len(out.Tags) == 0) {
			t.Fatalf("ListResourceTags %s: Truncated=%v NextMarker=%q with %d tags", keyID, out.Truncated, out.NextMarker, len(out.Tags))
		}
		all = append(all, out.Tags...)
		if !out.Truncated {
			return all
		}
		marker = out.NextMarker
	}
}

func kmOr(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// kmTagMap turns a tag listing into a map, failing on repeated keys.
func kmTagMap(t *rapid.T, what string, tags []keystore.Tag) map[string]string {
	out := map[string]string{}
	for _, tg := range tags {
		if _, dup := out[tg.Key]; dup {
			t.Fatalf("%s: tag %q listed twice in %v", what, tg.Key, tags)
		}
		out[tg.Key] = tg.Value
	}
	return out
}

// kmView is the part of KeyMetadata the model predicts.
type kmView struct {
	KeyID, Arn, Account  string
	CreationDate         time.Time
	Enabled              bool
	Description          string
	KeyUsage, KeyState   string
	DeletionDate         time.Time
	Origin, KeyManager   string
	KeySpec              string
	MultiRegion          bool
	Role                 string
	PrimaryKey           string
	ReplicaKeys          []string
	PendingWindowInDays  int
	CustomerMasterKeySpc string
	// Algorithms lists the algorithm members, "kind:alg" in order (§3.4).
	Algorithms []string
	// Absent holds the members that must be omitted for these keys (no
	// imported material, no custom key store), as "name=value" when set.
	Absent []string
}

// kmAlgorithms is spec §3.4 for the key specs and usages the machine draws.
var kmAlgorithms = map[[2]string][]string{
	{"SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"}: {"enc:SYMMETRIC_DEFAULT"},
	{"RSA_2048", "ENCRYPT_DECRYPT"}:          {"enc:RSAES_OAEP_SHA_1", "enc:RSAES_OAEP_SHA_256"},
	{"RSA_2048", "SIGN_VERIFY"}: {"sig:RSASSA_PKCS1_V1_5_SHA_256", "sig:RSASSA_PKCS1_V1_5_SHA_384", "sig:RSASSA_PKCS1_V1_5_SHA_512",
		"sig:RSASSA_PSS_SHA_256", "sig:RSASSA_PSS_SHA_384", "sig:RSASSA_PSS_SHA_512"},
	{"HMAC_256", "GENERATE_VERIFY_MAC"}: {"mac:HMAC_SHA_256"},
	{"ECC_NIST_P256", "SIGN_VERIFY"}:    {"sig:ECDSA_SHA_256"},
	{"ECC_NIST_P256", "KEY_AGREEMENT"}:  {"ka:ECDH"},
}

func kmMRK(r region.ID, arn string) string { return string(r) + " " + arn }

// want renders the model's view of f's key in r.
func (m *keyMachine) want(f *kmFamily, r region.ID) kmView {
	k := f.keys[r]
	v := kmView{
		KeyID:                f.id,
		Arn:                  kmARN(r, f.account, f.id),
		Account:              f.account,
		CreationDate:         k.created,
		Enabled:              k.state == kmEnabled,
		Description:          k.description,
		KeyUsage:             f.usage,
		KeyState:             k.state,
		Origin:               f.origin,
		KeyManager:           "CUSTOMER",
		KeySpec:              f.spec,
		MultiRegion:          f.multi,
		CustomerMasterKeySpc: f.spec,
		Algorithms:           kmAlgorithms[[2]string{f.spec, f.usage}],
	}
	switch k.state {
	case kmPendingDeletion:
		v.DeletionDate = k.deletionDate
	case kmPendingReplicaDeletion:
		v.PendingWindowInDays = k.window
	}
	if f.multi {
		v.Role = "REPLICA"
		if r == f.primary {
			v.Role = "PRIMARY"
		}
		if f.primary != "" {
			v.PrimaryKey = kmMRK(f.primary, kmARN(f.primary, f.account, f.id))
		}
		v.ReplicaKeys = []string{}
		for _, rr := range f.replicas {
			v.ReplicaKeys = append(v.ReplicaKeys, kmMRK(rr, kmARN(rr, f.account, f.id)))
		}
	}
	return v
}

func kmViewOf(md engine.KeyMetadata) kmView {
	v := kmView{
		KeyID:                md.KeyID,
		Arn:                  md.Arn,
		Account:              md.AWSAccountID,
		CreationDate:         md.CreationDate,
		Enabled:              md.Enabled,
		Description:          md.Description,
		KeyUsage:             string(md.KeyUsage),
		KeyState:             string(md.KeyState),
		DeletionDate:         md.DeletionDate,
		Origin:               string(md.Origin),
		KeyManager:           string(md.KeyManager),
		KeySpec:              string(md.KeySpec),
		MultiRegion:          md.MultiRegion,
		PendingWindowInDays:  int(md.PendingDeletionWindowInDays),
		CustomerMasterKeySpc: string(md.CustomerMasterKeySpec),
	}
	for _, l := range []struct {
		kind string
		algs []string
	}{{"enc", md.EncryptionAlgorithms}, {"sig", md.SigningAlgorithms}, {"ka", md.KeyAgreementAlgorithms}, {"mac", md.MacAlgorithms}} {
		for _, a := range l.algs {
			v.Algorithms = append(v.Algorithms, l.kind+":"+a)
		}
	}
	for name, val := range map[string]string{
		"ValidTo": kmIf(!md.ValidTo.IsZero(), md.ValidTo.String()), "ExpirationModel": string(md.ExpirationModel),
		"CustomKeyStoreId": md.CustomKeyStoreID, "CloudHsmClusterId": md.CloudHsmClusterID, "XksKeyId": md.XksKeyID,
	} {
		if val != "" {
			v.Absent = append(v.Absent, name+"="+val)
		}
	}
	slices.Sort(v.Absent)
	if c := md.MultiRegionConfiguration; c != nil {
		v.Role = string(c.MultiRegionKeyType)
		v.PrimaryKey = kmMRK(c.PrimaryKey.Region, c.PrimaryKey.Arn)
		v.ReplicaKeys = []string{}
		for _, rk := range c.ReplicaKeys {
			v.ReplicaKeys = append(v.ReplicaKeys, kmMRK(rk.Region, rk.Arn))
		}
	}
	return v
}

func (m *keyMachine) checkMetadata(t *rapid.T, what string, f *kmFamily, r region.ID, md engine.KeyMetadata) {
	kmEqual(t, m.want(f, r), kmViewOf(md), "%s: metadata of %s in %s differs from the model", what, f.id, r)
	if f.multi && md.MultiRegionConfiguration.ReplicaKeys == nil {
		t.Fatalf("%s: ReplicaKeys of %s in %s is null, want a list", what, f.id, r)
	}
}

// ---------------------------------------------------------------------
// Actions: one per operation, plus the clock.

func (m *keyMachine) CreateKey(t *rapid.T) {
	m.settle()
	r := kmOften(t, "region", 10, kmHomeRegions, []region.ID{"af-south-1"})
	multi := rapid.SampledFrom([]bool{true, true, true, false}).Draw(t, "multiRegion")
	origin := kmOften(t, "origin", 20, []string{"", "AWS_KMS", "", "AWS_KMS", "EXTERNAL"}, []string{"AWS_CLOUDHSM", "NOT_AN_ORIGIN"})
	if origin == "AWS_CLOUDHSM" {
		multi = true // single-Region custom key store keys are out of scope
	}
	su := kmOften(t, "keySpec", 20,
		[][2]string{{"", ""}, {"SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"}, {"RSA_2048", "SIGN_VERIFY"}, {"HMAC_256", "GENERATE_VERIFY_MAC"}, {"ECC_NIST_P256", "KEY_AGREEMENT"}},
		[][2]string{{"ECC_NIST_P256", ""}, {"HMAC_256", "ENCRYPT_DECRYPT"}, {"NOT_A_SPEC", ""}})
	desc := kmDescription(t)
	tags := kmTags(t, "tags")

	spec, usage := su[0], su[1]
	var want []string
	switch {
	case !kmCallable(r):
		want = kmCodes(kmErrUnrecognized)
	case utf8.RuneCountInString(desc) > 8192, kmTagsMalformed(tags),
		origin == "NOT_AN_ORIGIN", spec == "NOT_A_SPEC":
		want = kmCodes(kmErrValidation)
	default:
		// §0.3 step 6: the spec orders none of these against each other.
		if spec == "" {
			spec = "SYMMETRIC_DEFAULT"
		}
		if usage == "" && spec == "SYMMETRIC_DEFAULT" {
			usage = "ENCRYPT_DECRYPT"
		}
		compatible := map[string][]string{
			"SYMMETRIC_DEFAULT": {"ENCRYPT_DECRYPT"},
			"RSA_2048":          {"ENCRYPT_DECRYPT", "SIGN_VERIFY"},
			"HMAC_256":          {"GENERATE_VERIFY_MAC"},
			"ECC_NIST_P256":     {"SIGN_VERIFY", "KEY_AGREEMENT"},
		}
		if !slices.Contains(compatible[spec], usage) {
			want = append(want, kmErrValidation)
		}
		if origin == "AWS_CLOUDHSM" {
			want = append(want, kmErrUnsupported)
		}
		if kmTagRuleBroken(nil, tags) {
			want = append(want, kmErrTag)
		}
	}
	in := engine.CreateKeyInput{
		Description: desc,
		KeyUsage:    keystore.KeyUsage(su[1]),
		KeySpec:     keystore.KeySpec(su[0]),
		Origin:      keystore.Origin(origin),
		Tags:        tags,
		MultiRegion: multi,
	}
	if origin == "" {
		origin = "AWS_KMS"
	}
	// Half the calls borrow the metadata, as kmssdk and kmshttp do.
	view := rapid.Bool().Draw(t, "view")
	var out *engine.CreateKeyOutput
	what := fmt.Sprintf("CreateKey in %s (multi=%v origin=%q spec=%q usage=%q tags=%d view=%t)", r, multi, in.Origin, su[0], su[1], len(tags), view)
	if !m.expect(t, what, want, func() (err error) {
		if view {
			return m.env.Engine.CreateKeyView(kmCallerFor(r), in, func(v *engine.KeyMetadata) {
				out = &engine.CreateKeyOutput{KeyMetadata: cloneMetadata(*v)}
			})
		}
		out, err = m.env.Engine.CreateKey(kmCallerFor(r), in)
		return err
	}) {
		return
	}
	id := out.KeyMetadata.KeyID
	if m.fams[id] != nil || slices.Contains(m.created, id) {
		t.Fatalf("%s: key ID %s reused", what, id)
	}
	if multi != strings.HasPrefix(id, "mrk-") || !kmNewKeyIDRe.MatchString(id) {
		t.Fatalf("%s: key ID %q has the wrong form", what, id)
	}
	state := kmEnabled
	if origin == "EXTERNAL" {
		state = kmPendingImport
	}
	f := &kmFamily{
		id: id, account: kmAccountFor(r), partition: kmPartitionOf(r), multi: multi,
		spec: spec, usage: usage, origin: origin,
		primary: r,
		keys:    map[region.ID]*kmKey{r: {state: state, description: desc, tags: kmTagsToMap(tags), created: m.now}},
	}
	m.fams[id] = f
	m.created = append(m.created, id)
	m.born[id] = r
	m.checkMetadata(t, what, f, r, out.KeyMetadata)
}

func kmTagsToMap(tags []keystore.Tag) map[string]string {
	out := map[string]string{}
	for _, tg := range tags {
		out[tg.Key] = tg.Value
	}
	return out
}

func (m *keyMachine) DescribeKey(t *rapid.T) {
	m.settle()
	in, r, _ := m.target(t, false, nil)
	f, _, code := m.lookup(in, r, true)
	var want []string
	switch {
	case !kmCallable(r):
		want = kmCodes(kmErrUnrecognized)
	case !kmValidKeyID(in):
		want = kmCodes(kmErrValidation)
	default:
		want = kmCodes(code)
	}
	// Half the calls borrow the metadata, as kmssdk and kmshttp do.
	view := rapid.Bool().Draw(t, "view")
	var got engine.KeyMetadata
	what := fmt.Sprintf("DescribeKey %q in %s (view %t)", in, r, view)
	if m.expect(t, what, want, func() error {
		din := engine.DescribeKeyInput{KeyID: in}
		if view {
			return m.env.Engine.DescribeKeyView(kmCallerFor(r), din, func(v *engine.KeyMetadata) { got = cloneMetadata(*v) })
		}
		out, err := m.env.Engine.DescribeKey(kmCallerFor(r), din)
		if err == nil {
			got = out.KeyMetadata
		}
		return err
	}) {
		m.checkMetadata(t, what, f, r, got)
	}
}

func (m *keyMachine) ListKeys(t *rapid.T) {
	m.settle()
	r := kmOften(t, "region", 10, kmHomeRegions, []region.ID{"af-south-1"})
	limit := kmOften(t, "limit", 10, []int{0, 1, 2, 100}, []int{1001, -1})
	var want []string
	switch {
	case !kmCallable(r):
		want = kmCodes(kmErrUnrecognized)
	case limit != 0 && (limit < 1 || limit > 1000):
		want = kmCodes(kmErrValidation)
	}
	what := fmt.Sprintf("ListKeys in %s (limit %d)", r, limit)
	if len(want) > 0 {
		m.expect(t, what, want, func() error {
			_, err := m.env.Engine.ListKeys(kmCallerFor(r), engine.ListKeysInput{Limit: limit})
			return err
		})
		return
	}
	m.checkListKeys(t, what, r, limit)
}

func (m *keyMachine) checkListKeys(t *rapid.T, what string, r region.ID, limit int) {
	var got, want []string
	for _, e := range m.listKeys(t, r, limit) {
		got = append(got, e.KeyID+" "+e.KeyArn)
	}
	for _, id := range m.liveIDs() {
		if f := m.fams[id]; f.account == kmAccountFor(r) && f.keys[r] != nil {
			want = append(want, id+" "+kmARN(r, f.account, id))
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	kmEqual(t, want, got, "%s: keys listed", what)
}

func (m *keyMachine) ReplicateKey(t *rapid.T) {
	m.settle()
	in, r, drawn := m.target(t, true, kmEnabledPrimary(func(f *kmFamily) bool { return len(kmFreeRegions(f)) > 0 }))
	// Mostly a Region of the key's partition without a related key.
	var free []region.ID
	if drawn != nil {
		free = kmFreeRegions(drawn)
	}
	var to region.ID
	switch mode := rapid.IntRange(0, 5).Draw(t, "replicaRegionMode"); {
	case mode < 4 && len(free) > 0:
		to = rapid.SampledFrom(free).Draw(t, "replicaRegion")
	case mode < 5 && drawn != nil:
		// The primary's own Region or one that has a replica already.
		to = rapid.SampledFrom(drawn.regions()).Draw(t, "replicaRegion")
	default:
		to = kmOften(t, "replicaRegion", 5, kmHomeRegions, kmBadRegions)
	}
	desc := kmDescription(t)
	var tagList []keystore.Tag
	if rapid.IntRange(0, 2).Draw(t, "withTags") == 2 {
		tagList = kmTags(t, "replicaTags")
	}

	f, k, code := m.lookup(in, r, false)
	var want []string
	switch {
	case !kmCallable(r):
		want = kmCodes(kmErrUnrecognized)
	case !kmValidKeyID(in) || !kmValidRegion(to) || utf8.RuneCountInString(desc) > 8192 || kmTagsMalformed(tagList):
		want = kmCodes(kmErrValidation) // §5.6 row 1
	case code != "":
		want = kmCodes(code) // rows 2–3
	case !f.multi || f.primary != r:
		want = kmCodes(kmErrUnsupported) // rows 5–6
	case kmEnabledRequired(k) != "":
		want = kmCodes(kmEnabledRequired(k)) // rows 7–10
	case to == r, kmPartitionOf(to) != f.partition, !kmRegionTable[to].exists, !kmRegionTable[to].enabled:
		want = kmCodes(kmErrValidation) // rows 11–13
	case f.keys[to] != nil:
		want = kmCodes(kmErrAlreadyExist) // row 14
	case kmTagRuleBroken(nil, tagList):
		want = kmCodes(kmErrTag) // row 15
	}
	var out *engine.ReplicateKeyOutput
	what := fmt.Sprintf("ReplicateKey %q from %s to %q (tags=%d)", in, r, to, len(tagList))
	if !m.expect(t, what, want, func() (err error) {
		out, err = m.env.Engine.ReplicateKey(kmCallerFor(r), engine.ReplicateKeyInput{
			KeyID: in, ReplicaRegion: to, Description: desc, Tags: tagList,
		})
		return err
	}) {
		return
	}
	f.keys[to] = &kmKey{state: kmCreating, description: desc, tags: kmTagsToMap(tagList), created: m.now}
	f.replicas = append(f.replicas, to)
	m.schedule(m.now.Add(engine.DefaultCreatingDelay), kmTrCreating, f.id, to)
	m.checkMetadata(t, what, f, to, out.ReplicaKeyMetadata)
	if out.ReplicaPolicy == "" {
		t.Fatalf("%s: empty ReplicaPolicy", what)
	}
	if len(tagList) == 0 {
		if out.ReplicaTags != nil {
			t.Fatalf("%s: ReplicaTags = %v, want it omitted when no tags were given", what, out.ReplicaTags)
		}
	} else {
		kmEqual(t, f.keys[to].tags, kmTagMap(t, what, out.ReplicaTags), "%s: ReplicaTags", what)
	}
}

func (m *keyMachine) UpdatePrimaryRegion(t *rapid.T) {
	m.settle()
	in, r, drawn := m.target(t, true, kmEnabledPrimary(func(f *kmFamily) bool { return len(f.replicas) > 0 }))
	var to region.ID
	if drawn != nil && len(drawn.replicas) > 0 && !kmRare(t, "primaryRegionAny", 4) {
		to = rapid.SampledFrom(drawn.replicas).Draw(t, "primaryRegion")
	} else {
		to = kmOften(t, "primaryRegion", 5, kmHomeRegions, kmBadRegions)
	}

	f, k, code := m.lookup(in, r, false)
	var want []string
	noop := false
	switch {
	case !kmCallable(r):
		want = kmCodes(kmErrUnrecognized)
	case !kmValidKeyID(in) || !kmValidRegion(to):
		want = kmCodes(kmErrValidation)
	case code != "":
		want = kmCodes(code)
	case f.multi && f.primary != r:
		want = kmCodes(kmErrInvalidState) // a replica (§6.1)
	case !f.multi:
		want = kmCodes(kmErrUnsupported)
	case to == r:
		noop = true
	case f.keys[to] == nil:
		want = kmCodes(kmErrValidation)
	case kmEnabledRequired(k) != "":
		want = kmCodes(kmEnabledRequired(k))
	case kmEnabledRequired(f.keys[to]) != "":
		want = kmCodes(kmEnabledRequired(f.keys[to]))
	}
	what := fmt.Sprintf("UpdatePrimaryRegion %q in %s to %q", in, r, to)
	if !m.expect(t, what, want, func() error {
		_, err := m.env.Engine.UpdatePrimaryRegion(kmCallerFor(r), engine.UpdatePrimaryRegionInput{KeyID: in, PrimaryRegion: to})
		return err
	}) || noop {
		return
	}
	old := f.primary
	f.replicas = append(slices.DeleteFunc(f.replicas, func(x region.ID) bool { return x == to }), old)
	f.primary = to
	due := m.now.Add(engine.DefaultUpdatingDelay)
	for _, x := range []region.ID{old, to} {
		f.keys[x].state = kmUpdating
		m.schedule(due, kmTrUpdating, f.id, x)
	}
}

// enableOrDisable is EnableKey and DisableKey: both need an Enabled or
// Disabled key and answer KMSInvalidStateException otherwise (§4.3).
func (m *keyMachine) enableOrDisable(t *rapid.T, op, from, result string, call func(engine.Caller, engine.KeyIDInput) error) {
	m.settle()
	in, r, _ := m.target(t, false, kmInState(from))
	_, k, code := m.lookup(in, r, false)
	var want []string
	switch {
	case !kmCallable(r):
		want = kmCodes(kmErrUnrecognized)
	case !kmValidKeyID(in):
		want = kmCodes(kmErrValidation)
	case code != "":
		want = kmCodes(code)
	case k.state != kmEnabled && k.state != kmDisabled:
		want = kmCodes(kmErrInvalidState)
	}
	if m.expect(t, fmt.Sprintf("%s %q in %s", op, in, r), want, func() error {
		return call(kmCallerFor(r), engine.KeyIDInput{KeyID: in})
	}) {
		k.state = result
	}
}

func (m *keyMachine) EnableKey(t *rapid.T) {
	m.enableOrDisable(t, "EnableKey", kmDisabled, kmEnabled, func(c engine.Caller, in engine.KeyIDInput) error {
		_, err := m.env.Engine.EnableKey(c, in)
		return err
	})
}

func (m *keyMachine) DisableKey(t *rapid.T) {
	m.enableOrDisable(t, "DisableKey", kmEnabled, kmDisabled, func(c engine.Caller, in engine.KeyIDInput) error {
		_, err := m.env.Engine.DisableKey(c, in)
		return err
	})
}

func (m *keyMachine) UpdateKeyDescription(t *rapid.T) {
	m.settle()
	in, r, _ := m.target(t, false, nil)
	desc := kmDescription(t)
	_, k, code := m.lookup(in, r, false)
	var want []string
	switch {
	case !kmCallable(r):
		want = kmCodes(kmErrUnrecognized)
	case !kmValidKeyID(in) || utf8.RuneCountInString(desc) > 8192:
		want = kmCodes(kmErrValidation)
	case code != "":
		want = kmCodes(code)
	default:
		want = kmCodes(kmNotPendingDeletion(k))
	}
	if m.expect(t, fmt.Sprintf("UpdateKeyDescription %q in %s", in, r), want, func() error {
		_, err := m.env.Engine.UpdateKeyDescription(kmCallerFor(r), engine.UpdateKeyDescriptionInput{KeyID: in, Description: desc})
		return err
	}) {
		k.description = desc
	}
}

func (m *keyMachine) ScheduleKeyDeletion(t *rapid.T) {
	m.settle()
	// Prefer the multi-Region deletion cases: a primary with replicas, and
	// replicas of a primary waiting in PendingReplicaDeletion.
	schedulable := kmInState(kmEnabled, kmDisabled, kmPendingImport, kmCreating)
	in, r, _ := m.target(t, false, func(f *kmFamily, x region.ID) bool {
		if !f.multi || !schedulable(f, x) {
			return false
		}
		if x == f.primary {
			return len(f.replicas) > 0
		}
		return f.primary != "" && f.keys[f.primary].state == kmPendingReplicaDeletion
	})
	var window int
	switch {
	case kmRare(t, "windowOdd", 10):
		window = rapid.SampledFrom([]int{0, 1, 6, 31, 365, 366, -1}).Draw(t, "window")
	case rapid.Bool().Draw(t, "windowShort"):
		window = 7 // the shortest window lets more keys finish deletion
	default:
		window = rapid.IntRange(7, 30).Draw(t, "window")
	}
	f, k, code := m.lookup(in, r, false)
	effective := kmOr(window, 30)
	var want []string
	switch {
	case !kmCallable(r):
		want = kmCodes(kmErrUnrecognized)
	case !kmValidKeyID(in) || (window != 0 && (window < 1 || window > 365)):
		want = kmCodes(kmErrValidation)
	case code != "":
		want = kmCodes(code)
	case k.state == kmPendingDeletion || k.state == kmPendingReplicaDeletion || k.state == kmUpdating:
		want = kmCodes(kmErrInvalidState)
	case effective < 7 || effective > 30:
		want = kmCodes(kmErrValidation)
	}
	var out *engine.ScheduleKeyDeletionOutput
	what := fmt.Sprintf("ScheduleKeyDeletion %q in %s (window %d)", in, r, window)
	if !m.expect(t, what, want, func() (err error) {
		out, err = m.env.Engine.ScheduleKeyDeletion(kmCallerFor(r), engine.ScheduleKeyDeletionInput{KeyID: in, PendingWindowInDays: window})
		return err
	}) {
		return
	}
	k.window = effective
	wantOut := engine.ScheduleKeyDeletionOutput{KeyID: kmARN(r, f.account, f.id), PendingWindowInDays: effective}
	if f.multi && f.primary == r && len(f.replicas) > 0 {
		k.state = kmPendingReplicaDeletion
	} else {
		k.state = kmPendingDeletion
		k.deletionDate = m.now.Add(kmDays(effective))
		m.schedule(k.deletionDate, kmTrDelete, f.id, r)
		wantOut.DeletionDate = k.deletionDate
	}
	wantOut.KeyState = keystore.KeyState(k.state)
	kmEqual(t, wantOut, *out, "%s: response", what)
}

func (m *keyMachine) CancelKeyDeletion(t *rapid.T) {
	m.settle()
	pending := kmInState(kmPendingDeletion, kmPendingReplicaDeletion)
	in, r, _ := m.target(t, false, pending)
	f, k, code := m.lookup(in, r, false)
	var want []string
	switch {
	case !kmCallable(r):
		want = kmCodes(kmErrUnrecognized)
	case !kmValidKeyID(in):
		want = kmCodes(kmErrValidation)
	case code != "":
		want = kmCodes(code)
	case k.state != kmPendingDeletion && k.state != kmPendingReplicaDeletion:
		want = kmCodes(kmErrInvalidState)
	}
	var out *engine.CancelKeyDeletionOutput
	what := fmt.Sprintf("CancelKeyDeletion %q in %s", in, r)
	if !m.expect(t, what, want, func() (err error) {
		out, err = m.env.Engine.CancelKeyDeletion(kmCallerFor(r), engine.CancelKeyDeletionInput{KeyID: in})
		return err
	}) {
		return
	}
	m.unschedule(kmTrDelete, f.id, r)
	k.state = kmDisabled
	if f.origin == "EXTERNAL" {
		k.state = kmPendingImport // no key material is ever imported (§4.4, §11 #30)
	}
	k.deletionDate = time.Time{}
	k.window = 0
	if want := kmARN(r, f.account, f.id); out.KeyID != want {
		t.Fatalf("%s: KeyId %q, want %q", what, out.KeyID, want)
	}
}

func (m *keyMachine) TagResource(t *rapid.T) {
	m.settle()
	in, r, _ := m.target(t, false, nil)
	tags := kmTags(t, "tags")
	_, k, code := m.lookup(in, r, false)
	var want []string
	switch {
	case !kmCallable(r):
		want = kmCodes(kmErrUnrecognized)
	case !kmValidKeyID(in) || len(tags) == 0 || kmTagsMalformed(tags):
		want = kmCodes(kmErrValidation)
	case code != "":
		want = kmCodes(code)
	case kmNotPendingDeletion(k) != "":
		want = kmCodes(kmNotPendingDeletion(k))
	case kmTagRuleBroken(k.tags, tags):
		want = kmCodes(kmErrTag)
	}
	if m.expect(t, fmt.Sprintf("TagResource %q in %s (%d tags)", in, r, len(tags)), want, func() error {
		_, err := m.env.Engine.TagResource(kmCallerFor(r), engine.TagResourceInput{KeyID: in, Tags: tags})
		return err
	}) {
		for _, tg := range tags {
			k.tags[tg.Key] = tg.Value
		}
	}
}

func (m *keyMachine) UntagResource(t *rapid.T) {
	m.settle()
	in, r, _ := m.target(t, false, nil)
	// The spec states the aws: rule for CreateKey and TagResource only, so
	// reserved keys are not drawn here.
	keys := kmOften(t, "tagKeys", 10,
		[][]string{{"env"}, {"team", "Owner"}, {"missing"}, {"b00", "b10", "b20", "b30", "b40", "b50", "b60"}, {"env", "env"}},
		[][]string{{}, {""}, {kmLongTagKey}})
	_, k, code := m.lookup(in, r, false)
	var want []string
	badKey := slices.ContainsFunc(keys, func(s string) bool { n := utf8.RuneCountInString(s); return n < 1 || n > 128 })
	switch {
	case !kmCallable(r):
		want = kmCodes(kmErrUnrecognized)
	case !kmValidKeyID(in) || len(keys) == 0 || badKey:
		want = kmCodes(kmErrValidation)
	case code != "":
		want = kmCodes(code)
	default:
		want = kmCodes(kmNotPendingDeletion(k))
	}
	if m.expect(t, fmt.Sprintf("UntagResource %q in %s (%v)", in, r, keys), want, func() error {
		_, err := m.env.Engine.UntagResource(kmCallerFor(r), engine.UntagResourceInput{KeyID: in, TagKeys: keys})
		return err
	}) {
		for _, key := range keys {
			delete(k.tags, key)
		}
	}
}

func (m *keyMachine) ListResourceTags(t *rapid.T) {
	m.settle()
	in, r, _ := m.target(t, false, nil)
	limit := kmOften(t, "limit", 10, []int{0, 1, 2, 50, 100}, []int{1001, -1})
	_, k, code := m.lookup(in, r, false)
	var want []string
	switch {
	case !kmCallable(r):
		want = kmCodes(kmErrUnrecognized)
	case !kmValidKeyID(in) || (limit != 0 && (limit < 1 || limit > 1000)):
		want = kmCodes(kmErrValidation)
	default:
		want = kmCodes(code)
	}
	what := fmt.Sprintf("ListResourceTags %q in %s (limit %d)", in, r, limit)
	if len(want) > 0 {
		m.expect(t, what, want, func() error {
			_, err := m.env.Engine.ListResourceTags(kmCallerFor(r), engine.ListResourceTagsInput{KeyID: in, Limit: limit})
			return err
		})
		return
	}
	kmEqual(t, k.tags, kmTagMap(t, what, m.listTags(t, r, in, limit)), "%s: tags", what)
}

var kmAdvanceSteps = []time.Duration{time.Second, 5 * time.Second, time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour}

func (m *keyMachine) Advance(t *rapid.T) {
	d := rapid.SampledFrom(kmAdvanceSteps).Draw(t, "by")
	t.Logf("Advance %v", d)
	m.env.Advance(d)
	m.now = m.now.Add(d)
	m.settle()
}

// ---------------------------------------------------------------------
// Invariants.

// Check compares the whole engine with the model, through the API only.
func (m *keyMachine) Check(t *rapid.T) {
	m.settle()
	e := m.env.Engine
	// ListKeys shows which keys exist in every Region, so DescribeKey only
	// needs to visit the model's keys, and each deleted key ID once where
	// it was created.
	for _, r := range kmHomeRegions {
		m.checkListKeys(t, "Check", r, 0)
	}
	for _, id := range m.created {
		f := m.fams[id]
		if f == nil {
			r := m.born[id]
			if out, err := e.DescribeKey(kmCallerFor(r), engine.DescribeKeyInput{KeyID: id}); kmCode(err) != kmErrNotFound {
				t.Fatalf("Check: DescribeKey of deleted key %s in %s: want NotFoundException, got %v (metadata %+v)", id, r, err, out)
			}
			continue
		}
		seen := map[region.ID]engine.KeyMetadata{}
		for _, r := range f.regions() {
			out, err := e.DescribeKey(kmCallerFor(r), engine.DescribeKeyInput{KeyID: id})
			if err != nil {
				t.Fatalf("Check: DescribeKey %s in %s: %v", id, r, err)
			}
			m.checkMetadata(t, "Check", f, r, out.KeyMetadata)
			seen[r] = out.KeyMetadata
			kmEqual(t, f.keys[r].tags, kmTagMap(t, "Check", m.listTags(t, r, id, 0)), "Check: tags of %s in %s", id, r)
		}
		m.checkRelated(t, f, seen)
		m.checkRotations(t, f, seen)
	}
	m.checkPending(t)
}

// checkRelated checks the multi-Region invariants across the related keys
// of f as the engine describes them (§3.2, §3.3).
func (m *keyMachine) checkRelated(t *rapid.T, f *kmFamily, seen map[region.ID]engine.KeyMetadata) {
	if !f.multi {
		if len(seen) != 1 {
			t.Fatalf("Check: single-Region key %s exists in %d Regions", f.id, len(seen))
		}
		return
	}
	var first *engine.KeyMetadata
	primaries := 0
	others := []string{}
	for _, r := range kmHomeRegions {
		md, ok := seen[r]
		if !ok {
			continue
		}
		c := md.MultiRegionConfiguration
		if c.MultiRegionKeyType == "PRIMARY" {
			primaries++
			if c.PrimaryKey.Region != r {
				t.Fatalf("Check: %s in %s is PRIMARY but PrimaryKey names %s", f.id, r, c.PrimaryKey.Region)
			}
		} else {
			others = append(others, string(r))
		}
		if first == nil {
			first = &md
			continue
		}
		if md.KeyID != first.KeyID || md.KeySpec != first.KeySpec || md.KeyUsage != first.KeyUsage ||
			md.Origin != first.Origin || md.MultiRegion != first.MultiRegion || md.AWSAccountID != first.AWSAccountID ||
			md.CustomerMasterKeySpec != first.CustomerMasterKeySpec ||
			!reflect.DeepEqual(md.EncryptionAlgorithms, first.EncryptionAlgorithms) ||
			!reflect.DeepEqual(md.SigningAlgorithms, first.SigningAlgorithms) ||
			!reflect.DeepEqual(md.KeyAgreementAlgorithms, first.KeyAgreementAlgorithms) ||
			!reflect.DeepEqual(md.MacAlgorithms, first.MacAlgorithms) {
			t.Fatalf("Check: shared properties of %s differ between Regions: %+v vs %+v", f.id, md, *first)
		}
		kmEqual(t, first.MultiRegionConfiguration.PrimaryKey, c.PrimaryKey, "Check: PrimaryKey of %s in %s", f.id, r)
		kmEqual(t, first.MultiRegionConfiguration.ReplicaKeys, c.ReplicaKeys, "Check: ReplicaKeys of %s in %s", f.id, r)
	}
	if f.primary != "" && primaries != 1 {
		t.Fatalf("Check: %s has %d primaries among %d related keys", f.id, primaries, len(seen))
	}
	// ReplicaKeys is exactly the set of existing related keys besides the
	// primary (order is checked against the model in checkMetadata).
	var listed []string
	for _, rk := range first.MultiRegionConfiguration.ReplicaKeys {
		listed = append(listed, string(rk.Region))
	}
	slices.Sort(listed)
	slices.Sort(others)
	if f.primary != "" && !slices.Equal(listed, others) {
		t.Fatalf("Check: %s lists replicas %v, but the related keys besides the primary are %v", f.id, listed, others)
	}
}

// checkPending checks that Pending is sorted by due time and holds what
// the model has scheduled.
func (m *keyMachine) checkPending(t *rapid.T) {
	got := m.env.Engine.Pending()
	for i := 1; i < len(got); i++ {
		if got[i].Due.Before(got[i-1].Due) {
			t.Fatalf("Check: Pending not sorted by due time: %v", got)
		}
	}
	var gotS, wantS []string
	for _, tr := range got {
		gotS = append(gotS, fmt.Sprintf("%s %s %s", tr.Due.Format(time.RFC3339), tr.KeyARN, tr.Action))
	}
	for _, tr := range m.queue {
		f := m.fams[tr.id]
		acct := kmstest.DefaultAccount
		if f != nil {
			acct = f.account
		}
		wantS = append(wantS, fmt.Sprintf("%s %s %s", tr.due.Format(time.RFC3339), kmARN(tr.region, acct, tr.id), tr.action))
	}
	slices.Sort(gotS)
	slices.Sort(wantS)
	kmEqual(t, wantS, gotS, "Check: pending transitions")
}

// kmEqual fails with testify's diff when want and got differ. It compares
// with reflect.DeepEqual first: testify's Helper calls walk the stack,
// which would dominate the run time of thousands of sequences.
func kmEqual(t *rapid.T, want, got any, msgAndArgs ...any) {
	if !reflect.DeepEqual(want, got) {
		require.Equal(t, want, got, msgAndArgs...)
	}
}

func kmIf(cond bool, s string) string {
	if cond {
		return s
	}
	return ""
}

// RotateKeyOnDemand rotates a key's material; the new version arrives
// for every related key when the rotation finishes.
func (m *keyMachine) RotateKeyOnDemand(t *rapid.T) {
	m.settle()
	in, r, _ := m.target(t, true, kmEnabledPrimary(func(f *kmFamily) bool { return f.spec == "SYMMETRIC_DEFAULT" }))
	f, k, code := m.lookup(in, r, false)
	var want []string
	switch {
	case !kmCallable(r):
		want = kmCodes(kmErrUnrecognized)
	case !kmValidKeyID(in):
		want = kmCodes(kmErrValidation)
	case code != "":
		want = kmCodes(code)
	case f.spec != "SYMMETRIC_DEFAULT" || f.usage != "ENCRYPT_DECRYPT":
		want = kmCodes(kmErrUnsupported)
	case f.multi && f.primary != r:
		want = kmCodes(kmErrUnsupported)
	case k.state != kmEnabled && k.state != kmUpdating:
		want = kmCodes(kmEnabledRequired(k))
	case f.rotating:
		want = kmCodes("ConflictException")
	case f.onDemand >= engine.OnDemandRotationLimit:
		want = kmCodes("LimitExceededException")
	}
	if m.expect(t, fmt.Sprintf("RotateKeyOnDemand %q in %s", in, r), want, func() error {
		_, err := m.env.Engine.RotateKeyOnDemand(kmCallerFor(r), engine.RotateKeyOnDemandInput{KeyID: in})
		return err
	}) {
		f.rotating = true
		f.onDemand++
		m.schedule(m.now.Add(engine.OnDemandRotationDelay), kmTrRotation, f.id, r)
	}
}

// checkRotations checks that a symmetric AWS_KMS family lists its
// completed rotations and that every related key that is not Creating
// shows the same current material.
func (m *keyMachine) checkRotations(t *rapid.T, f *kmFamily, seen map[region.ID]engine.KeyMetadata) {
	if f.spec != "SYMMETRIC_DEFAULT" || f.usage != "ENCRYPT_DECRYPT" || f.origin == "EXTERNAL" {
		return
	}
	current := ""
	for r, md := range seen {
		if md.KeyState == kmCreating {
			continue
		}
		if current == "" {
			current = md.CurrentKeyMaterialID
		}
		if md.CurrentKeyMaterialID != current || current == "" {
			t.Fatalf("Check: %s in %s shows material %q, a related key %q", f.id, r, md.CurrentKeyMaterialID, current)
		}
	}
	for _, r := range f.regions() {
		out, err := m.env.Engine.ListKeyRotations(kmCallerFor(r), engine.ListKeyRotationsInput{KeyID: f.id})
		if err != nil {
			t.Fatalf("Check: ListKeyRotations %s in %s: %v", f.id, r, err)
		}
		if len(out.Rotations) != f.rotations {
			t.Fatalf("Check: %s in %s lists %d rotations, want %d", f.id, r, len(out.Rotations), f.rotations)
		}
	}
}
