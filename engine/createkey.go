package engine

import (
	"fmt"
	"strconv"
	"time"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/policy"
	"github.com/kmsim/kmsim/region"
)

// CreateKeyInput is the CreateKey request. Empty strings and false stand
// for omitted members.
type CreateKeyInput struct {
	// Policy is the key policy document; empty means the default key
	// policy. It is stored verbatim.
	Policy                         string            `json:"policy,omitempty"`
	Description                    string            `json:"description,omitempty"`
	KeyUsage                       keystore.KeyUsage `json:"keyUsage,omitempty"`
	CustomerMasterKeySpec          keystore.KeySpec  `json:"customerMasterKeySpec,omitempty"`
	KeySpec                        keystore.KeySpec  `json:"keySpec,omitempty"`
	Origin                         keystore.Origin   `json:"origin,omitempty"`
	CustomKeyStoreID               string            `json:"customKeyStoreId,omitempty"`
	BypassPolicyLockoutSafetyCheck bool              `json:"bypassPolicyLockoutSafetyCheck"`
	Tags                           []keystore.Tag    `json:"tags,omitempty"`
	MultiRegion                    bool              `json:"multiRegion"`
	XksKeyID                       string            `json:"xksKeyId,omitempty"`
}

// CreateKeyOutput is the CreateKey response.
type CreateKeyOutput struct {
	KeyMetadata KeyMetadata `json:"keyMetadata"`
}

// CreateKey creates a KMS key in the caller's Region: a single-Region key,
// or with MultiRegion a multi-Region primary (spec §6.2). A key with
// Origin EXTERNAL starts in PendingImport; any other starts Enabled.
//
// It returns ValidationException (model constraints, KeySpec/KeyUsage
// rules, a Region without multi-Region keys), TagException,
// LimitExceededException (policy size, key quota),
// UnsupportedOperationException and CustomKeyStoreNotFoundException
// (custom key stores are not simulated).
func (e *Engine) CreateKey(c Caller, in CreateKeyInput) (*CreateKeyOutput, error) {
	return runPacked(e, "CreateKey", c, in, (*call).createKey)
}

// CreateKeyView is CreateKey that lends the new key's metadata to view
// instead of returning a response, as DescribeKeyView does for
// DescribeKey: the same checks, errors, key and event, with the
// metadata in pooled memory that view may read but must not keep (copy
// what it needs) and that nothing else sees. view runs after the
// engine's lock is released, so it may call the engine; it is not
// called when CreateKey fails.
func (e *Engine) CreateKeyView(c Caller, in CreateKeyInput, view func(*KeyMetadata)) error {
	v, err := runPacked(e, "CreateKey", c, in, (*call).createKeyView)
	return lend(v, err, view)
}

func (cl *call) createKey(in CreateKeyInput) (*CreateKeyOutput, error) {
	k, err := cl.newKey(in)
	if err != nil {
		return nil, err
	}
	both := &withLists[CreateKeyOutput]{}
	cl.rendered(&both.out.KeyMetadata, k, &both.st)
	return &both.out, nil
}

func (cl *call) createKeyView(in CreateKeyInput) (*withLists[DescribeKeyOutput], error) {
	k, err := cl.newKey(in)
	if err != nil {
		return nil, err
	}
	v := borrowMetadata()
	cl.rendered(&v.out.KeyMetadata, k, &v.st)
	return v, nil
}

// rendered renders the new key k into *m, with its lists in st, and
// tells the event what to keep for the response (see keyCreated).
func (cl *call) rendered(m *KeyMetadata, k *keystore.Key, st *metadataStore) {
	setMetadata(m, k, st)
	f := k.Family
	cl.created = &keyCreated{
		arn: k.ARN, keyID: f.KeyID, region: k.Region, account: f.Account, created: k.CreationDate,
		spec: f.Spec, usage: f.Usage, origin: f.Origin, multiRegion: f.MultiRegion,
		state: k.State, description: k.Description, materialID: m.CurrentKeyMaterialID,
	}
}

// newKey checks a CreateKey request and makes the key.
func (cl *call) newKey(in CreateKeyInput) (*keystore.Key, error) {
	var v violations
	v.policy("policy", in.Policy)
	v.length("description", in.Description, 0, 8192)
	enum(&v, "keyUsage", in.KeyUsage, keystore.KeyUsages)
	enum(&v, "customerMasterKeySpec", in.CustomerMasterKeySpec, keystore.CustomerMasterKeySpecs)
	enum(&v, "keySpec", in.KeySpec, keystore.KeySpecs)
	enum(&v, "origin", in.Origin, keystore.Origins)
	v.optional("customKeyStoreId", in.CustomKeyStoreID, 1, 64)
	v.tags("tags", in.Tags)
	v.optional("xksKeyId", in.XksKeyID, 1, 128)
	if in.XksKeyID != "" && !validXksKeyID(in.XksKeyID) {
		v.add(quote(in.XksKeyID), "xksKeyId", "satisfy regular expression pattern: ^[a-zA-Z0-9-_.]+$")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	// Condition keys cost allocations; only IAM callers and policy
	// validation need them.
	var req conditions
	if cl.checksIAM() || in.Policy != "" {
		req = cl.createKeyConditions(in)
	}
	if err := cl.authorizeIAM("kms:CreateKey", "*", req); err != nil {
		return nil, err
	}
	if len(in.Tags) > 0 {
		if err := cl.authorizeIAM("kms:TagResource", "*", req); err != nil {
			return nil, err
		}
	}

	spec, usage, err := specAndUsage(in)
	if err != nil {
		return nil, err
	}
	origin := orDefault(in.Origin, keystore.OriginAWSKMS)
	if err := cl.checkKeyStore(in, origin); err != nil {
		return nil, err
	}
	if spec == keystore.SM2 && cl.partition != "aws-cn" {
		return nil, invalid("KeySpec SM2 is not supported in this AWS partition.")
	}
	if in.MultiRegion && cl.e.noMRK[cl.scope.Region] {
		return nil, errRegionUnsupported(cl.scope.Region)
	}
	if err := checkNewTags(nil, in.Tags); err != nil {
		return nil, err
	}
	// The new key's ID is drawn only once the request has passed every
	// check, so a failed call does not consume randomness; the lockout
	// check cannot need it, as a policy cannot name a key that does not
	// exist yet.
	var doc *policy.Document
	if in.Policy != "" {
		pending := region.KeyARN(cl.partition, cl.scope.Region, cl.scope.Account, "new-key")
		if doc, err = cl.validatePolicy(in.Policy, in.BypassPolicyLockoutSafetyCheck, pending, cl.scope.Region, req); err != nil {
			return nil, err
		}
	}
	if err := cl.checkKeyQuota(cl.scope.Region); err != nil {
		return nil, err
	}

	id, err := region.NewKeyID(cl.e.rand, in.MultiRegion)
	if err != nil {
		return nil, &kmserrors.KMSInternalException{Message: fmt.Sprintf("random source failed: %v", err)}
	}
	if cl.idInUse(id, in.MultiRegion) {
		// A repeated ID can come only from a broken random source; KMS
		// would retry, and so can the caller.
		return nil, &kmserrors.KMSInternalException{Message: "generated a key ID that is already in use; retry the request"}
	}
	arn := region.KeyARN(cl.partition, cl.scope.Region, cl.scope.Account, id)
	// The family's KeyID, and the store's index with it, is the tail of
	// the ARN: one string for both saves 48 bytes a key.
	id = arn[len(arn)-len(id):]
	var generate func() (*keystore.Material, error)
	if origin == keystore.OriginAWSKMS {
		// The seed is drawn now, so the material does not depend on when
		// it is first used; generating it waits for that first use, which
		// keeps CreateKey cheap for RSA.
		if generate, err = cl.e.materialSeed(id, spec); err != nil {
			return nil, err
		}
	}
	k := &keystore.Key{
		Region:       cl.scope.Region,
		ARN:          arn,
		CreationDate: cl.now,
		Description:  sanitize(in.Description),
		Policy:       in.Policy,
		PolicyDoc:    doc,
		Tags:         keystore.Tags(nil).With(in.Tags),
		State:        keystore.Enabled,
	}
	if origin == keystore.OriginExternal {
		k.State = keystore.PendingImport
	}
	keystore.NewFamily(keystore.Family{
		KeyID:       id,
		Account:     cl.scope.Account,
		Partition:   cl.partition,
		MultiRegion: in.MultiRegion,
		Spec:        spec,
		Usage:       usage,
		Origin:      origin,
		Generate:    generate,
	}, k)
	cl.e.keys.Put(k)
	cl.key = k
	return k, nil
}

// keyCreated stands, in the log, for a CreateKey response: the fields
// its metadata is rendered from, as they were when the call returned,
// which Events renders into a CreateKeyOutput. The response itself
// (about 700 bytes) would stay alive as long as the log keeps the event;
// this is 192 bytes whose strings the key shares while it lives. It
// holds no pointer to the key or its family, so a deleted key's records
// and material are not kept alive by the log.
type keyCreated struct {
	arn, keyID, account string
	region              region.ID
	created             time.Time
	spec                keystore.KeySpec
	usage               keystore.KeyUsage
	origin              keystore.Origin
	multiRegion         bool
	state               keystore.KeyState
	description         string
	materialID          string
}

// output renders the response CreateKey returned, from a key and family
// made for the purpose, as they were at creation: the key its family's
// primary with no replicas and nothing imported. The family holds no
// material, so the ID of the first version comes from the record.
func (c *keyCreated) output() *CreateKeyOutput {
	k := &keystore.Key{Region: c.region, ARN: c.arn, CreationDate: c.created, Description: c.description, State: c.state}
	keystore.NewFamily(keystore.Family{
		KeyID: c.keyID, Account: c.account, MultiRegion: c.multiRegion,
		Spec: c.spec, Usage: c.usage, Origin: c.origin,
	}, k)
	both := &withLists[CreateKeyOutput]{}
	setMetadata(&both.out.KeyMetadata, k, &both.st)
	both.out.KeyMetadata.CurrentKeyMaterialID = c.materialID
	return &both.out
}

// idInUse reports whether a new key ID is taken. A multi-Region ID must be
// free in every Region of the partition, where replicas will carry it;
// the account's keys are all in its partition.
func (cl *call) idInUse(id string, multiRegion bool) bool {
	if !multiRegion {
		return cl.e.keys.Get(cl.scope, id) != nil
	}
	return cl.e.keys.InAnyRegion(cl.scope.Account, id)
}

// specAndUsage applies the KeySpec/KeyUsage rules of spec §3.4.
func specAndUsage(in CreateKeyInput) (keystore.KeySpec, keystore.KeyUsage, error) {
	if in.KeySpec != "" && in.CustomerMasterKeySpec != "" {
		return "", "", invalid("You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.")
	}
	spec := orDefault(orDefault(in.KeySpec, in.CustomerMasterKeySpec), keystore.SymmetricDefault)
	usage := in.KeyUsage
	if usage == "" {
		if !spec.Symmetric() {
			return "", "", invalid("You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.")
		}
		usage = keystore.EncryptDecrypt
	}
	if !spec.Allows(usage) {
		return "", "", invalid("KeyUsage %s is not compatible with KeySpec %s", usage, spec)
	}
	return spec, usage, nil
}

// checkKeyStore rejects what needs a custom key store, which the engine
// does not simulate: no custom key store exists, so any ID is unknown.
func (cl *call) checkKeyStore(in CreateKeyInput, origin keystore.Origin) error {
	custom := in.CustomKeyStoreID != "" || origin == keystore.OriginAWSCloudHSM || origin == keystore.OriginExternalKeyStore
	switch {
	case custom && in.MultiRegion:
		return &kmserrors.UnsupportedOperationException{Message: "Multi-Region keys are not supported in custom key stores."}
	case in.XksKeyID != "" && origin != keystore.OriginExternalKeyStore:
		return invalid("XksKeyId can be specified only when Origin is EXTERNAL_KEY_STORE.")
	case in.CustomKeyStoreID == "" && custom:
		return invalid("You must specify a CustomKeyStoreId when Origin is %s.", origin)
	case in.CustomKeyStoreID != "" && origin != keystore.OriginAWSCloudHSM && origin != keystore.OriginExternalKeyStore:
		return invalid("Origin must be AWS_CLOUDHSM or EXTERNAL_KEY_STORE when you specify a CustomKeyStoreId.")
	case custom:
		return &kmserrors.CustomKeyStoreNotFoundException{Message: fmt.Sprintf("Custom key store %s does not exist.", sanitize(in.CustomKeyStoreID))}
	}
	return nil
}

func validXksKeyID(s string) bool {
	for _, r := range s {
		ok := r == '-' || r == '_' || r == '.' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return true
}

// createKeyConditions returns the condition keys of a CreateKey request,
// with KMS's defaults for omitted members (spec §6.2: request keys match
// defaults too).
func (cl *call) createKeyConditions(in CreateKeyInput) conditions {
	spec := orDefault(orDefault(in.KeySpec, in.CustomerMasterKeySpec), keystore.SymmetricDefault)
	usage := in.KeyUsage
	if usage == "" && spec.Symmetric() {
		usage = keystore.EncryptDecrypt
	}
	c := cl.baseConditions(cl.scope.Region).
		set("kms:KeySpec", string(spec)).
		set("kms:KeyOrigin", string(orDefault(in.Origin, keystore.OriginAWSKMS))).
		set("kms:MultiRegion", strconv.FormatBool(in.MultiRegion)).
		set("kms:BypassPolicyLockoutSafetyCheck", strconv.FormatBool(in.BypassPolicyLockoutSafetyCheck)).
		tags(in.Tags)
	if usage != "" {
		c.set("kms:KeyUsage", string(usage))
	}
	if in.MultiRegion {
		c.set("kms:MultiRegionKeyType", string(keystore.Primary))
	}
	return c
}

// checkKeyQuota applies the per-account, per-Region key quota.
func (cl *call) checkKeyQuota(r region.ID) error {
	if cl.e.keys.Count(keystore.Scope{Account: cl.scope.Account, Region: r}) >= cl.e.keyQuota {
		return &kmserrors.LimitExceededException{Message: "The request was rejected because a quota was exceeded."}
	}
	return nil
}

func errRegionUnsupported(r region.ID) error {
	return invalid("Region %s is not a valid Region or multi-Region keys are not supported in Region %s.", r, r)
}

// checkNewTags applies the tag rules of spec §8 to tags being added to a
// key that has current: reserved prefix, duplicates in the request, and
// the 50-tag limit on the result.
func checkNewTags(current keystore.Tags, add []keystore.Tag) error {
	seen := make(map[string]bool, len(add))
	for _, t := range add {
		if reservedTagKey(t.Key) {
			return errReservedTag()
		}
		if seen[t.Key] {
			return &kmserrors.TagException{Message: "Duplicate tag keys"}
		}
		seen[t.Key] = true
	}
	if len(current.With(add)) > keystore.MaxTags {
		return &kmserrors.TagException{Message: "Too many tags"}
	}
	return nil
}
