package kmstest

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/kmssdk"
	"github.com/kmsim/kmsim/region"
)

// This test drives the cryptographic operations through kmssdk and
// through kmshttp with the real SDK client and checks that no key
// material shows in anything a caller, a log or the event log sees.
//
// Outside the engine package the material is out of reach, so the test
// recognises it instead: it knows a ciphertext of each key with a known
// plaintext, and any 32 bytes that decrypt its first GCM block are that
// key's AES-256 material. Every 32-byte window of every captured text is
// tried, raw and after undoing hex, base64 and fmt's []byte renderings.

// secOracle recognises the material of the keys it has seen a
// ciphertext of.
type secOracle struct {
	names   []string
	counter [][16]byte // the first GCM counter block: IV ‖ 00000002
	stream  [][16]byte // the first keystream block: ciphertext ⊕ plaintext
}

// learn records a key from an engine ciphertext of a known plaintext of
// at least 16 bytes (engine format, spec §9.7: the IV at 69, the body at
// 81).
func (o *secOracle) learn(t *testing.T, name string, blob, plaintext []byte) {
	t.Helper()
	require.GreaterOrEqual(t, len(plaintext), 16)
	require.GreaterOrEqual(t, len(blob), 81+16)
	var j, s [16]byte
	copy(j[:], blob[69:81])
	j[15] = 2
	for i := range s {
		s[i] = blob[81+i] ^ plaintext[i]
	}
	o.names, o.counter, o.stream = append(o.names, name), append(o.counter, j), append(o.stream, s)
}

// window returns the name of the key whose material is some 32-byte
// window of b, or "".
func (o *secOracle) window(b []byte) string {
	var out [16]byte
	for i := 0; i+32 <= len(b); i++ {
		c, err := aes.NewCipher(b[i : i+32])
		if err != nil {
			continue
		}
		for k := range o.names {
			c.Encrypt(out[:], o.counter[k][:])
			if out == o.stream[k] {
				return o.names[k]
			}
		}
	}
	return ""
}

var (
	secHexRun    = regexp.MustCompile(`[0-9a-fA-F]{64,}`)
	secBase64Run = regexp.MustCompile(`[A-Za-z0-9+/_-]{43,}`)
	secDecimal   = regexp.MustCompile(`\[(\d{1,3}(?: \d{1,3}){31,})\]`)
	secGoHex     = regexp.MustCompile(`0x[0-9a-f]{1,2}(?:, 0x[0-9a-f]{1,2}){31,}`)
	secQuoted    = regexp.MustCompile(`"(?:[^"\\]|\\.){32,}"`)
)

// leak returns the name of a key whose material text shows, or "": raw,
// in hex, base64 (either alphabet, any alignment), a quoted string, or a
// []byte as fmt prints it with %v or %#v.
func (o *secOracle) leak(text string) string {
	if name := o.window([]byte(text)); name != "" {
		return name
	}
	for _, run := range secHexRun.FindAllString(text, -1) {
		for a := range 2 {
			s := run[a:]
			if b, err := hex.DecodeString(s[:len(s)/2*2]); err == nil {
				if name := o.window(b); name != "" {
					return name
				}
			}
		}
	}
	for _, run := range secBase64Run.FindAllString(text, -1) {
		run = strings.NewReplacer("-", "+", "_", "/").Replace(run)
		for a := range 4 {
			s := run[a:]
			if len(s)%4 == 1 {
				s = s[:len(s)-1] // no whole byte in a lone last character
			}
			if b, err := base64.RawStdEncoding.DecodeString(s); err == nil {
				if name := o.window(b); name != "" {
					return name
				}
			}
		}
	}
	for _, m := range secDecimal.FindAllStringSubmatch(text, -1) {
		var b []byte
		for _, f := range strings.Fields(m[1]) {
			n, _ := strconv.Atoi(f)
			b = append(b, byte(n))
		}
		if name := o.window(b); name != "" {
			return name
		}
	}
	for _, m := range secQuoted.FindAllString(text, -1) {
		if u, err := strconv.Unquote(m); err == nil {
			if name := o.window([]byte(u)); name != "" {
				return name
			}
		}
	}
	for _, m := range secGoHex.FindAllString(text, -1) {
		var b []byte
		for _, f := range strings.Split(m, ", ") {
			n, _ := strconv.ParseUint(f[2:], 16, 8)
			b = append(b, byte(n))
		}
		if name := o.window(b); name != "" {
			return name
		}
	}
	return ""
}

// The oracle finds a key it learned in every spelling, and nothing in
// text without it.
func TestSecretOracle(t *testing.T) {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	blk, err := aes.NewCipher(key)
	require.NoError(t, err)
	gcm, err := cipher.NewGCM(blk)
	require.NoError(t, err)
	blob := make([]byte, 81, 200)
	blob[0] = 1
	_, _ = rand.Read(blob[69:81])
	plaintext := []byte("a plaintext of more than 16 bytes")
	blob = gcm.Seal(blob, blob[69:81], plaintext, blob[1:69])
	var o secOracle
	o.learn(t, "k", blob, plaintext)
	require.Empty(t, o.leak(string(blob)+hex.EncodeToString(blob)+base64.StdEncoding.EncodeToString(blob)))
	for _, form := range []string{
		string(key), hex.EncodeToString(key), strings.ToUpper(hex.EncodeToString(key)),
		base64.StdEncoding.EncodeToString(key), base64.RawURLEncoding.EncodeToString(key),
		fmt.Sprint(key), fmt.Sprintf("%#v", key), fmt.Sprintf("%q", key),
	} {
		for _, pad := range []string{"", "x", "ab", "abc"} {
			require.Equal(t, "k", o.leak(`{"x":"`+pad+form+`"}`), "form %q", form)
		}
	}
}

// secLog is a slog destination safe for the server's goroutines.
type secLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *secLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *secLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// secWire is an HTTP client that keeps every request and response body.
type secWire struct {
	hc    kms.HTTPClient
	mu    sync.Mutex
	texts []string
}

func (w *secWire) Do(r *http.Request) (*http.Response, error) {
	var in []byte
	if r.Body != nil {
		var err error
		if in, err = io.ReadAll(r.Body); err != nil {
			return nil, err
		}
		r.Body = io.NopCloser(bytes.NewReader(in))
	}
	resp, err := w.hc.Do(r)
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(out))
	w.mu.Lock()
	w.texts = append(w.texts, fmt.Sprintf("%v\n%s\n%v\n%s", r.Header, in, resp.Header, out))
	w.mu.Unlock()
	return resp, nil
}

func secDump(v any) string {
	j, err := json.Marshal(v)
	if err != nil {
		j = []byte(err.Error())
	}
	return string(j) + "\n" + fmt.Sprintf("%v\n%+v\n%#v", v, v, v)
}

func TestSecretsStayInsideEveryFront(t *testing.T) {
	var logs secLog
	s := NewServer(t, ServerConfig(kmshttp.Config{Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}))
	wire := &secWire{hc: s.srv.Client()}
	fronts := []struct {
		name   string
		client func(r region.ID) kmssdk.API
	}{
		{"kmssdk", func(r region.ID) kmssdk.API { return s.Env.Client(r) }},
		{"kmshttp", func(r region.ID) kmssdk.API { return newSDKClient(r, s.URL, wire) }},
	}
	ctx := context.Background()
	var oracle secOracle
	var texts []string
	capture := func(out any, err error) {
		if err != nil {
			texts = append(texts, err.Error()+"\n"+fmt.Sprintf("%v\n%+v\n%#v", err, err, err))
			return
		}
		texts = append(texts, secDump(out))
	}
	plaintext := []byte("a plaintext longer than one AES block")
	ec := map[string]string{"purpose": "secrets"}
	for _, f := range fronts {
		us, eu := f.client("us-east-1"), f.client("eu-west-1")
		mrk, err := us.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
		require.NoError(t, err, f.name)
		capture(mrk, err)
		capture(us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: mrk.KeyMetadata.KeyId, ReplicaRegion: aws.String("eu-west-1")}))
		single, err := us.CreateKey(ctx, &kms.CreateKeyInput{})
		require.NoError(t, err)
		capture(single, err)
		capture(us.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: types.KeySpecHmac256, KeyUsage: types.KeyUsageTypeGenerateVerifyMac}))
		s.Env.Settle()
		for _, id := range []*string{mrk.KeyMetadata.KeyId, single.KeyMetadata.KeyId} {
			enc, err := us.Encrypt(ctx, &kms.EncryptInput{KeyId: id, Plaintext: plaintext, EncryptionContext: ec})
			require.NoError(t, err)
			capture(enc, err)
			oracle.learn(t, f.name+" "+*id, enc.CiphertextBlob, plaintext)
			capture(us.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ec}))
			capture(us.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob}))
			capture(eu.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ec}))
			capture(us.ReEncrypt(ctx, &kms.ReEncryptInput{CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: ec, DestinationKeyId: mrk.KeyMetadata.KeyId}))
			capture(us.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: id, KeySpec: types.DataKeySpecAes256}))
			capture(us.GenerateDataKeyWithoutPlaintext(ctx, &kms.GenerateDataKeyWithoutPlaintextInput{KeyId: id, NumberOfBytes: aws.Int32(32)}))
			capture(us.Encrypt(ctx, &kms.EncryptInput{KeyId: id, Plaintext: plaintext, DryRun: aws.Bool(true)}))
			capture(us.Encrypt(ctx, &kms.EncryptInput{KeyId: id, Plaintext: make([]byte, 4097)}))
			capture(us.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: id}))
		}
		capture(eu.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: mrk.KeyMetadata.KeyId, NumberOfBytes: aws.Int32(1024)}))
		capture(us.GenerateRandom(ctx, &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(1024)}))
	}
	s.Close() // every log line is written
	for _, ev := range s.Env.Engine.Events() {
		texts = append(texts, secDump(ev))
	}
	require.NotEmpty(t, logs.String(), "kmshttp logged the requests")
	texts = append(texts, logs.String())
	require.NotEmpty(t, wire.texts)
	texts = append(texts, wire.texts...)
	texts = append(texts, fmt.Sprintf("%v %+v %#v", s.Env.Engine, s.Env.Engine, s.Env.Engine))
	require.Len(t, oracle.names, 4)

	n := 0
	for i, text := range texts {
		n += len(text)
		if name := oracle.leak(text); name != "" {
			t.Errorf("text %d shows the material of %s: %.300s", i, name, text)
		}
	}
	t.Logf("%d texts (%d bytes) scanned for the material of %d keys", len(texts), n, len(oracle.names))
}
