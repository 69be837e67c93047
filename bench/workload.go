package bench

import (
	"cmp"
	"fmt"
	"math/rand/v2"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// Mix weighs the operations of a [Workload]; a weight of 0 leaves an
// operation out.
type Mix struct {
	Describe  int // DescribeKey
	Encrypt   int // Encrypt of Plaintext bytes
	Decrypt   int // Decrypt of a ciphertext made at setup
	Replicate int // CreateKey of a multi-Region key and one ReplicateKey
}

// DefaultMix is the proportion of a service that uses its keys more than
// it manages them: mostly Decrypt and Encrypt (envelope encryption
// unwraps more than it wraps), some DescribeKey (clients checking a key
// before use), and few new replicas.
var DefaultMix = Mix{Describe: 20, Encrypt: 30, Decrypt: 45, Replicate: 5}

// WorkloadConfig sizes a [Workload]. Zero fields take the defaults
// named beside them.
type WorkloadConfig struct {
	Accounts  int    // 3; the first is kmstest.DefaultAccount
	Keys      int    // 100 keys per account
	Replicas  int    // 2 replicas per key
	Plaintext int    // 1024 bytes per Encrypt
	Seed      uint64 // 1; picks operations, keys and Regions
	Mix       Mix    // DefaultMix
}

// Workload is a seeded mixed workload across accounts and Regions: each
// [Workload.Step] runs one operation, chosen by the Mix, on a random key
// of a random account, in a random one of the key's Regions.
type Workload struct {
	env    *kmstest.Env
	cfg    WorkloadConfig
	rng    *rand.Rand
	fleets []*Fleet
	// blobs[i][j] is a ciphertext of key j of fleets[i].
	blobs     [][][]byte
	plaintext []byte
	total     int
	// Counts holds the number of steps of each operation so far.
	Counts Mix
}

// NewWorkload creates the workload's accounts and keys in env, with
// their replicas settled, and one ciphertext per key.
func NewWorkload(env *kmstest.Env, cfg WorkloadConfig) (*Workload, error) {
	cfg.Accounts = cmp.Or(cfg.Accounts, 3)
	cfg.Keys = cmp.Or(cfg.Keys, 100)
	cfg.Replicas = cmp.Or(cfg.Replicas, 2)
	cfg.Plaintext = cmp.Or(cfg.Plaintext, 1024)
	cfg.Seed = cmp.Or(cfg.Seed, 1)
	if cfg.Mix == (Mix{}) {
		cfg.Mix = DefaultMix
	}
	w := &Workload{
		env:       env,
		cfg:       cfg,
		rng:       rand.New(rand.NewPCG(cfg.Seed, cfg.Seed)),
		plaintext: Plaintext(cfg.Plaintext),
		total:     cfg.Mix.Describe + cfg.Mix.Encrypt + cfg.Mix.Decrypt + cfg.Mix.Replicate,
	}
	for i := range cfg.Accounts {
		acct := kmstest.DefaultAccount
		if i > 0 {
			acct = fmt.Sprintf("4444%08d", i)
			if err := env.Engine.CreateAccount(engine.AccountInput{ID: acct}); err != nil {
				return nil, fmt.Errorf("bench: CreateAccount: %w", err)
			}
		}
		f, err := createFleet(env, acct, Home, cfg.Keys)
		if err != nil {
			return nil, err
		}
		if err := f.FanOut(cfg.Replicas, 0); err != nil {
			return nil, err
		}
		w.fleets = append(w.fleets, f)
	}
	env.Settle()
	for _, f := range w.fleets {
		blobs := make([][]byte, len(f.IDs))
		for j, id := range f.IDs {
			out, err := env.Engine.Encrypt(f.Caller(f.Home), engine.EncryptInput{KeyID: id, Plaintext: w.plaintext})
			if err != nil {
				return nil, fmt.Errorf("bench: Encrypt: %w", err)
			}
			blobs[j] = out.CiphertextBlob
		}
		w.blobs = append(w.blobs, blobs)
	}
	return w, nil
}

// Step runs one operation and returns its error, which a correct engine
// never gives.
func (w *Workload) Step() error {
	fi := w.rng.IntN(len(w.fleets))
	f := w.fleets[fi]
	ki := w.rng.IntN(len(f.IDs))
	id := f.IDs[ki]
	// Any of the key's Regions: the primary's or a replica's.
	r := f.Home
	if n := w.rng.IntN(len(f.Replicas) + 1); n > 0 {
		r = f.Replicas[n-1]
	}
	c := f.Caller(r)
	e := w.env.Engine
	var err error
	switch pick, m := w.rng.IntN(w.total), w.cfg.Mix; {
	case pick < m.Describe:
		w.Counts.Describe++
		_, err = e.DescribeKey(c, engine.DescribeKeyInput{KeyID: id})
	case pick < m.Describe+m.Encrypt:
		w.Counts.Encrypt++
		_, err = e.Encrypt(c, engine.EncryptInput{KeyID: id, Plaintext: w.plaintext})
	case pick < m.Describe+m.Encrypt+m.Decrypt:
		w.Counts.Decrypt++
		_, err = e.Decrypt(c, engine.DecryptInput{CiphertextBlob: w.blobs[fi][ki]})
	default:
		w.Counts.Replicate++
		err = w.replicate(f)
	}
	if err != nil {
		return fmt.Errorf("bench: workload step in %s: %w", r, err)
	}
	return nil
}

// replicate creates a multi-Region key in f's home Region and replicates
// it into one of f's replica Regions. The new key joins no fleet, so the
// other operations keep their key population.
func (w *Workload) replicate(f *Fleet) error {
	e := w.env.Engine
	out, err := e.CreateKey(f.Caller(f.Home), engine.CreateKeyInput{MultiRegion: true})
	if err != nil {
		return err
	}
	to := f.Replicas[w.rng.IntN(len(f.Replicas))]
	_, err = e.ReplicateKey(f.Caller(f.Home), engine.ReplicateKeyInput{KeyID: out.KeyMetadata.KeyID, ReplicaRegion: to})
	return err
}

// Regions returns the Regions the workload's keys live in, primary first.
func (w *Workload) Regions() []region.ID {
	f := w.fleets[0]
	return append([]region.ID{f.Home}, f.Replicas...)
}

// Plaintext returns n bytes that are the same on every call, to encrypt.
func Plaintext(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(i*7 + 3)
	}
	return p
}
