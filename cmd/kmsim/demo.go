package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// The Regions of the walk-through: the key starts in home, is replicated
// to newHome and other, and then its primary moves to newHome.
const (
	home    region.ID = "us-east-1"
	newHome region.ID = "eu-west-1"
	other   region.ID = "ap-southeast-2"
)

// runDemo parses the demo's flags and runs it.
func runDemo(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kmsim demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Uint64("seed", 1, "seed of the simulated random source, which picks the key ID")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: kmsim demo [-seed N]\n\n"+
			"Walk through multi-Region keys on a simulated clock. The same seed\n"+
			"always prints the same output.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "kmsim demo: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if err := demo(stdout, *seed); err != nil {
		fmt.Fprintf(stderr, "kmsim demo: %v\n", err)
		return 1
	}
	return 0
}

// seedKey turns a seed into a ChaCha8 key the way kmstest.Seed does, so
// that seed N here gives the key IDs of kmstest.NewEnv(t, kmstest.Seed(N)).
func seedKey(seed uint64) [32]byte {
	var key [32]byte
	for i := range 8 {
		key[i] = byte(seed >> (8 * i))
	}
	return key
}

// walk is one run of the demo: the engine, its clock, and the key the
// demo follows.
type walk struct {
	w    io.Writer
	werr error // first error writing to w

	eng   *engine.Engine
	clock *kmstest.Clock
	step  int

	keyID string
	// regions holds the Regions with a related key, in creation order,
	// which is also the order the demo prints them in.
	regions []region.ID
}

// demo writes the walk-through to w. It fails when the engine does
// something other than what the walk-through describes, so it doubles as
// a smoke test.
func demo(w io.Writer, seed uint64) error {
	clock := kmstest.NewClock(kmstest.Start)
	d := &walk{
		w:     w,
		clock: clock,
		eng: engine.New(engine.Config{
			Clock: clock,
			Rand:  rand.NewChaCha8(seedKey(seed)),
		}),
	}
	if err := d.eng.CreateAccount(engine.AccountInput{ID: kmstest.DefaultAccount}); err != nil {
		return err
	}
	d.printf("kmsim demo: multi-Region keys in account %s (seed %d)\n", kmstest.DefaultAccount, seed)
	d.printf("The simulated clock starts at %s; replicas take %s to create\n"+
		"and a primary Region swap takes %s.\n",
		d.now(), engine.DefaultCreatingDelay, engine.DefaultUpdatingDelay)

	for _, f := range []func() error{
		d.createKey,
		d.replicate,
		d.advance,
		d.swapPrimary,
		d.advance,
		d.replicateTwice,
		d.replicateReplica,
		d.replicateAlias,
	} {
		if err := f(); err != nil {
			return err
		}
	}
	return d.werr
}

func (d *walk) createKey() error {
	d.begin("CreateKey in %s with MultiRegion=true", home)
	out, err := d.eng.CreateKey(d.caller(home), engine.CreateKeyInput{
		Description: "kmsim demo",
		MultiRegion: true,
	})
	if err != nil {
		return fmt.Errorf("CreateKey: %w", err)
	}
	d.keyID = out.KeyMetadata.KeyID
	d.regions = append(d.regions, home)
	d.fact("KeyId  %s (every related key shares it)", d.keyID)
	d.fact("Arn    %s", out.KeyMetadata.Arn)
	return d.states()
}

func (d *walk) replicate() error {
	d.begin("ReplicateKey from %s to %s and %s", home, newHome, other)
	for _, r := range []region.ID{newHome, other} {
		_, err := d.eng.ReplicateKey(d.caller(home), engine.ReplicateKeyInput{KeyID: d.keyID, ReplicaRegion: r})
		if err != nil {
			return fmt.Errorf("ReplicateKey to %s: %w", r, err)
		}
		d.regions = append(d.regions, r)
	}
	return d.states()
}

func (d *walk) advance() error {
	const step = 5 * time.Second
	d.clock.Advance(step)
	d.begin("Advance the simulated clock %s, to %s", step, d.now())
	return d.states()
}

func (d *walk) swapPrimary() error {
	d.begin("UpdatePrimaryRegion: make the replica in %s the primary", newHome)
	_, err := d.eng.UpdatePrimaryRegion(d.caller(home), engine.UpdatePrimaryRegionInput{
		KeyID:         d.keyID,
		PrimaryRegion: newHome,
	})
	if err != nil {
		return fmt.Errorf("UpdatePrimaryRegion: %w", err)
	}
	if err := d.states(); err != nil {
		return err
	}
	return d.multiRegionConfiguration()
}

func (d *walk) replicateTwice() error {
	d.begin("ReplicateKey from %s, the new primary, to %s again", newHome, other)
	_, err := d.eng.ReplicateKey(d.caller(newHome), engine.ReplicateKeyInput{KeyID: d.keyID, ReplicaRegion: other})
	return expect[*kmserrors.AlreadyExistsException](d, err)
}

func (d *walk) replicateReplica() error {
	d.begin("ReplicateKey from %s, now a replica, to us-west-2", home)
	_, err := d.eng.ReplicateKey(d.caller(home), engine.ReplicateKeyInput{KeyID: d.keyID, ReplicaRegion: "us-west-2"})
	return expect[*kmserrors.UnsupportedOperationException](d, err)
}

func (d *walk) replicateAlias() error {
	const alias = "alias/demo"
	d.begin("ReplicateKey from %s naming the key by an alias, %s", newHome, alias)
	_, err := d.eng.ReplicateKey(d.caller(newHome), engine.ReplicateKeyInput{KeyID: alias, ReplicaRegion: "us-west-2"})
	return expect[*kmserrors.InvalidArnException](d, err)
}

// states prints the role and state of the key in every Region that has
// one, as DescribeKey reports them there.
func (d *walk) states() error {
	for _, r := range d.regions {
		m, err := d.describe(r)
		if err != nil {
			return err
		}
		d.fact("%s %-15s %s", m.MultiRegionConfiguration.MultiRegionKeyType, r, m.KeyState)
	}
	return nil
}

// multiRegionConfiguration prints the primary and replicas that every
// related key reports, after checking that they all report the same ones.
func (d *walk) multiRegionConfiguration() error {
	var first *engine.MultiRegionConfiguration
	for _, r := range d.regions {
		m, err := d.describe(r)
		if err != nil {
			return err
		}
		c := m.MultiRegionConfiguration
		if first == nil {
			first = c
		} else if c.PrimaryKey != first.PrimaryKey || !slices.Equal(c.ReplicaKeys, first.ReplicaKeys) {
			return fmt.Errorf("DescribeKey in %s reports %+v, in %s %+v", d.regions[0], *first, r, *c)
		}
	}
	replicas := make([]string, len(first.ReplicaKeys))
	for i, k := range first.ReplicaKeys {
		replicas[i] = string(k.Region)
	}
	d.fact("PrimaryKey   %s", first.PrimaryKey.Arn)
	d.fact("ReplicaKeys  %s (the old primary moves to the end)", strings.Join(replicas, ", "))
	return nil
}

// describe returns the metadata of the demo's key in Region r.
func (d *walk) describe(r region.ID) (engine.KeyMetadata, error) {
	out, err := d.eng.DescribeKey(d.caller(r), engine.DescribeKeyInput{KeyID: d.keyID})
	if err != nil {
		return engine.KeyMetadata{}, fmt.Errorf("DescribeKey in %s: %w", r, err)
	}
	if out.KeyMetadata.MultiRegionConfiguration == nil {
		return engine.KeyMetadata{}, fmt.Errorf("DescribeKey in %s: no MultiRegionConfiguration", r)
	}
	return out.KeyMetadata, nil
}

// expect prints the KMS error type and message of err, which must be an E.
func expect[E kmserrors.APIError](d *walk, err error) error {
	var want E
	if !errors.As(err, &want) {
		return fmt.Errorf("step %d: got error %v, want %T", d.step, err, want)
	}
	d.fact("error    %s", want.ErrorCode())
	d.fact("message  %s", want.ErrorMessage())
	return nil
}

func (d *walk) caller(r region.ID) engine.Caller {
	return engine.Caller{Account: kmstest.DefaultAccount, Region: r}
}

func (d *walk) now() string { return d.clock.Now().Format(time.RFC3339) }

// begin prints the numbered line that starts a step.
func (d *walk) begin(format string, args ...any) {
	d.step++
	d.printf("\n%d. %s\n", d.step, fmt.Sprintf(format, args...))
}

// fact prints one indented line under the current step.
func (d *walk) fact(format string, args ...any) {
	d.printf("   "+format+"\n", args...)
}

func (d *walk) printf(format string, args ...any) {
	if d.werr == nil {
		_, d.werr = fmt.Fprintf(d.w, format, args...)
	}
}
