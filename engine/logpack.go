package engine

import (
	"encoding/binary"

	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/region"
)

// The event log keeps the parameters of every request, and the hot
// cryptographic operations (Encrypt, Decrypt, GenerateDataKey, ...) and
// DescribeKey are the calls it logs most. Kept as boxed input structs, each logged call
// left a map, a slice and a struct of pointers for the garbage collector
// to trace for as long as the log held it, and logging cost more than the
// AES-GCM of a 4 KiB Encrypt. So those requests are logged as one
// pointer-free byte string, written by the input's packLog and read back
// into the input type only when Events is called.

// logPacker is implemented by inputs that the log keeps packed. packLog
// writes the fields the event keeps (never a plaintext or ciphertext) and
// returns the function that reads them back into a copy of the input, or
// writes nothing and returns nil when the input is better logged boxed
// (see CreateKeyInput's).
type logPacker interface {
	packLog(w *logWriter) (unpack logUnpacker)
}

// logUnpacker rebuilds a logged input from what packLog wrote.
type logUnpacker func(r *logReader) any

// logWriter appends fields to a packed request. Every field is written
// with its presence, so nil and empty slices and maps read back apart.
type logWriter struct {
	b []byte
	// whole, when kept, is the packed request itself: an input that is
	// one string is logged as that string, shared rather than copied
	// (strings are immutable), which spares the allocation.
	whole string
	kept  bool
}

// keep makes s the whole packed request; nothing else may be written.
func (w *logWriter) keep(s string) { w.whole, w.kept = s, true }

func (w *logWriter) uint(n uint64) { w.b = binary.AppendUvarint(w.b, n) }

func (w *logWriter) int(n int) { w.b = binary.AppendVarint(w.b, int64(n)) }

func (w *logWriter) str(s string) {
	w.uint(uint64(len(s)))
	w.b = append(w.b, s...)
}

func (w *logWriter) flag(b bool) {
	if b {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

// count writes the length of a slice or map, 0 standing for nil.
func (w *logWriter) count(n int, isNil bool) {
	if isNil {
		w.uint(0)
		return
	}
	w.uint(uint64(n) + 1)
}

func (w *logWriter) strs(ss []string) {
	w.count(len(ss), ss == nil)
	for _, s := range ss {
		w.str(s)
	}
}

// context writes an encryption context in map order: the log needs the
// pairs, not the canonical order the additional data uses.
func (w *logWriter) context(ctx map[string]string) {
	w.count(len(ctx), ctx == nil)
	for k, v := range ctx {
		w.str(k)
		w.str(v)
	}
}

func (w *logWriter) tags(tags []keystore.Tag) {
	w.count(len(tags), tags == nil)
	for _, t := range tags {
		w.str(t.Key)
		w.str(t.Value)
	}
}

// logReader reads what a logWriter wrote, in the same order. It never
// fails on what logWriter made; past the end it reads zero values.
// Strings it reads share the packed request's memory.
type logReader struct{ b string }

// rest returns everything not yet read: the string a logWriter kept.
func (r *logReader) rest() string { return r.b }

func (r *logReader) uint() uint64 {
	n, size := uvarint(r.b)
	if size <= 0 {
		r.b = ""
		return 0
	}
	r.b = r.b[size:]
	return n
}

func (r *logReader) int() int {
	u := r.uint()
	// Zigzag, as binary.AppendVarint wrote it.
	n := int64(u >> 1)
	if u&1 != 0 {
		n = ^n
	}
	return int(n)
}

// uvarint is binary.Uvarint for a string, which that function does not
// take without a copy.
func uvarint(s string) (uint64, int) {
	var x uint64
	var shift uint
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		c := s[i]
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				return 0, -1
			}
			return x | uint64(c)<<shift, i + 1
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	return 0, 0
}

func (r *logReader) str() string {
	n := min(r.uint(), uint64(len(r.b)))
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

func (r *logReader) flag() bool {
	if len(r.b) == 0 {
		return false
	}
	b := r.b[0] == 1
	r.b = r.b[1:]
	return b
}

// count reads a length written by logWriter.count; ok is false for nil.
func (r *logReader) count() (n int, ok bool) {
	c := r.uint()
	if c == 0 {
		return 0, false
	}
	// A count never exceeds the bytes left, which bounds the allocation
	// of a slice or map made from it.
	return int(min(c-1, uint64(len(r.b)))), true
}

func (r *logReader) strs() []string {
	n, ok := r.count()
	if !ok {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = r.str()
	}
	return ss
}

func (r *logReader) tags() []keystore.Tag {
	n, ok := r.count()
	if !ok {
		return nil
	}
	tags := make([]keystore.Tag, n)
	for i := range tags {
		tags[i] = keystore.Tag{Key: r.str(), Value: r.str()}
	}
	return tags
}

func (r *logReader) context() map[string]string {
	n, ok := r.count()
	if !ok {
		return nil
	}
	ctx := make(map[string]string, n)
	for range n {
		k := r.str()
		ctx[k] = r.str()
	}
	return ctx
}

// DescribeKey is the read callers make most; its input is usually just a
// key ID, kept as it is. GetPublicKey's is the same.

func (in DescribeKeyInput) packLog(w *logWriter) logUnpacker {
	if in.GrantTokens == nil {
		w.keep(in.KeyID)
		return func(r *logReader) any { return DescribeKeyInput{KeyID: r.rest()} }
	}
	w.str(in.KeyID)
	w.strs(in.GrantTokens)
	return func(r *logReader) any { return DescribeKeyInput{KeyID: r.str(), GrantTokens: r.strs()} }
}

func (in GetPublicKeyInput) packLog(w *logWriter) logUnpacker {
	if in.GrantTokens == nil {
		w.keep(in.KeyID)
		return func(r *logReader) any { return GetPublicKeyInput{KeyID: r.rest()} }
	}
	w.str(in.KeyID)
	w.strs(in.GrantTokens)
	return func(r *logReader) any { return GetPublicKeyInput{KeyID: r.str(), GrantTokens: r.strs()} }
}

// Sign and Verify are logged without the message (it may be secret) and
// Verify without the signature, as CloudTrail logs them; GenerateMac and
// VerifyMac without the message and the MAC, which is as good as a
// password check's answer. Packing also lets go of an HTTP request's
// body, of which the input's strings are slices.

func (in SignInput) packLog(w *logWriter) logUnpacker {
	w.str(in.KeyID)
	w.str(in.MessageType)
	w.strs(in.GrantTokens)
	w.str(in.SigningAlgorithm)
	w.flag(in.DryRun)
	return unpackSign
}

func unpackSign(r *logReader) any {
	var in SignInput
	in.KeyID = r.str()
	in.MessageType = r.str()
	in.GrantTokens = r.strs()
	in.SigningAlgorithm = r.str()
	in.DryRun = r.flag()
	return in
}

func (in VerifyInput) packLog(w *logWriter) logUnpacker {
	w.str(in.KeyID)
	w.str(in.MessageType)
	w.str(in.SigningAlgorithm)
	w.strs(in.GrantTokens)
	w.flag(in.DryRun)
	return unpackVerify
}

func unpackVerify(r *logReader) any {
	var in VerifyInput
	in.KeyID = r.str()
	in.MessageType = r.str()
	in.SigningAlgorithm = r.str()
	in.GrantTokens = r.strs()
	in.DryRun = r.flag()
	return in
}

// GenerateMac and VerifyMac log the same fields.

func (in GenerateMacInput) packLog(w *logWriter) logUnpacker {
	writeMac(w, in.KeyID, in.MacAlgorithm, in.GrantTokens, in.DryRun)
	return func(r *logReader) any {
		var in GenerateMacInput
		in.KeyID, in.MacAlgorithm, in.GrantTokens, in.DryRun = readMac(r)
		return in
	}
}

func (in VerifyMacInput) packLog(w *logWriter) logUnpacker {
	writeMac(w, in.KeyID, in.MacAlgorithm, in.GrantTokens, in.DryRun)
	return func(r *logReader) any {
		var in VerifyMacInput
		in.KeyID, in.MacAlgorithm, in.GrantTokens, in.DryRun = readMac(r)
		return in
	}
}

func writeMac(w *logWriter, keyID, alg string, grantTokens []string, dryRun bool) {
	w.str(keyID)
	w.str(alg)
	w.strs(grantTokens)
	w.flag(dryRun)
}

func readMac(r *logReader) (keyID, alg string, grantTokens []string, dryRun bool) {
	return r.str(), r.str(), r.strs(), r.flag()
}

// packLog of each packed input, beside its reader so the two stay in
// step. Plaintexts and ciphertexts are left out, as CloudTrail leaves them
// out.

func (in EncryptInput) packLog(w *logWriter) logUnpacker {
	w.str(in.KeyID)
	w.context(in.EncryptionContext)
	w.strs(in.GrantTokens)
	w.str(in.EncryptionAlgorithm)
	w.flag(in.DryRun)
	return unpackEncrypt
}

func unpackEncrypt(r *logReader) any {
	var in EncryptInput
	in.KeyID = r.str()
	in.EncryptionContext = r.context()
	in.GrantTokens = r.strs()
	in.EncryptionAlgorithm = r.str()
	in.DryRun = r.flag()
	return in
}

func (in DecryptInput) packLog(w *logWriter) logUnpacker {
	w.context(in.EncryptionContext)
	w.strs(in.GrantTokens)
	w.str(in.KeyID)
	w.str(in.EncryptionAlgorithm)
	w.flag(in.DryRun)
	return unpackDecrypt
}

func unpackDecrypt(r *logReader) any {
	var in DecryptInput
	in.EncryptionContext = r.context()
	in.GrantTokens = r.strs()
	in.KeyID = r.str()
	in.EncryptionAlgorithm = r.str()
	in.DryRun = r.flag()
	return in
}

func (in ReEncryptInput) packLog(w *logWriter) logUnpacker {
	w.context(in.SourceEncryptionContext)
	w.str(in.SourceKeyID)
	w.str(in.DestinationKeyID)
	w.context(in.DestinationEncryptionContext)
	w.str(in.SourceEncryptionAlgorithm)
	w.str(in.DestinationEncryptionAlgorithm)
	w.strs(in.GrantTokens)
	w.flag(in.DryRun)
	return unpackReEncrypt
}

func unpackReEncrypt(r *logReader) any {
	var in ReEncryptInput
	in.SourceEncryptionContext = r.context()
	in.SourceKeyID = r.str()
	in.DestinationKeyID = r.str()
	in.DestinationEncryptionContext = r.context()
	in.SourceEncryptionAlgorithm = r.str()
	in.DestinationEncryptionAlgorithm = r.str()
	in.GrantTokens = r.strs()
	in.DryRun = r.flag()
	return in
}

// The data-key inputs with and without plaintext have the same fields,
// so each pair shares its writer and reader.

func (in GenerateDataKeyInput) packLog(w *logWriter) logUnpacker {
	writeGenerateDataKey(w, in)
	return func(r *logReader) any { return readGenerateDataKey(r) }
}

func (in GenerateDataKeyWithoutPlaintextInput) packLog(w *logWriter) logUnpacker {
	writeGenerateDataKey(w, GenerateDataKeyInput(in))
	return func(r *logReader) any { return GenerateDataKeyWithoutPlaintextInput(readGenerateDataKey(r)) }
}

func writeGenerateDataKey(w *logWriter, in GenerateDataKeyInput) {
	w.str(in.KeyID)
	w.context(in.EncryptionContext)
	w.int(in.NumberOfBytes)
	w.str(in.KeySpec)
	w.strs(in.GrantTokens)
	w.flag(in.DryRun)
}

func readGenerateDataKey(r *logReader) (in GenerateDataKeyInput) {
	in.KeyID = r.str()
	in.EncryptionContext = r.context()
	in.NumberOfBytes = r.int()
	in.KeySpec = r.str()
	in.GrantTokens = r.strs()
	in.DryRun = r.flag()
	return in
}

func (in GenerateDataKeyPairInput) packLog(w *logWriter) logUnpacker {
	writeGenerateDataKeyPair(w, in)
	return func(r *logReader) any { return readGenerateDataKeyPair(r) }
}

func (in GenerateDataKeyPairWithoutPlaintextInput) packLog(w *logWriter) logUnpacker {
	writeGenerateDataKeyPair(w, GenerateDataKeyPairInput(in))
	return func(r *logReader) any { return GenerateDataKeyPairWithoutPlaintextInput(readGenerateDataKeyPair(r)) }
}

func writeGenerateDataKeyPair(w *logWriter, in GenerateDataKeyPairInput) {
	w.context(in.EncryptionContext)
	w.str(in.KeyID)
	w.str(string(in.KeyPairSpec))
	w.strs(in.GrantTokens)
	w.flag(in.DryRun)
}

func readGenerateDataKeyPair(r *logReader) (in GenerateDataKeyPairInput) {
	in.EncryptionContext = r.context()
	in.KeyID = r.str()
	in.KeyPairSpec = keystore.KeySpec(r.str())
	in.GrantTokens = r.strs()
	in.DryRun = r.flag()
	return in
}

// CreateKey and ReplicateKey are logged packed too: boxed, each event
// kept a struct of a dozen strings (and the caller's tag list, copied)
// for the collector to trace, about 180 bytes where the packed request
// of a CreateKey without a policy is about 20. A request with a policy is
// logged boxed (with its tags copied, see logCopy): packing would copy a
// document of up to 32 KB that the new key already holds, where the boxed
// input shares the same immutable string.

func (in CreateKeyInput) packLog(w *logWriter) logUnpacker {
	if in.Policy != "" {
		return nil
	}
	w.str(in.Policy)
	w.str(in.Description)
	w.str(string(in.KeyUsage))
	w.str(string(in.CustomerMasterKeySpec))
	w.str(string(in.KeySpec))
	w.str(string(in.Origin))
	w.str(in.CustomKeyStoreID)
	w.flag(in.BypassPolicyLockoutSafetyCheck)
	w.tags(in.Tags)
	w.flag(in.MultiRegion)
	w.str(in.XksKeyID)
	return unpackCreateKey
}

func unpackCreateKey(r *logReader) any {
	var in CreateKeyInput
	in.Policy = r.str()
	in.Description = r.str()
	in.KeyUsage = keystore.KeyUsage(r.str())
	in.CustomerMasterKeySpec = keystore.KeySpec(r.str())
	in.KeySpec = keystore.KeySpec(r.str())
	in.Origin = keystore.Origin(r.str())
	in.CustomKeyStoreID = r.str()
	in.BypassPolicyLockoutSafetyCheck = r.flag()
	in.Tags = r.tags()
	in.MultiRegion = r.flag()
	in.XksKeyID = r.str()
	return in
}

func (in ReplicateKeyInput) packLog(w *logWriter) logUnpacker {
	if in.Policy != "" {
		return nil
	}
	w.str(in.KeyID)
	w.str(string(in.ReplicaRegion))
	w.str(in.Policy)
	w.flag(in.BypassPolicyLockoutSafetyCheck)
	w.str(in.Description)
	w.tags(in.Tags)
	return unpackReplicateKey
}

func unpackReplicateKey(r *logReader) any {
	var in ReplicateKeyInput
	in.KeyID = r.str()
	in.ReplicaRegion = region.ID(r.str())
	in.Policy = r.str()
	in.BypassPolicyLockoutSafetyCheck = r.flag()
	in.Description = r.str()
	in.Tags = r.tags()
	return in
}
