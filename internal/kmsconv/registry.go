package kmsconv

import (
	"fmt"
	"slices"
	"strings"

	smithy "github.com/aws/smithy-go"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/internal/awsjson"
)

// Op runs one KMS operation given an SDK input value.
type Op struct {
	Name string
	// NewInput returns a new, zero *kms.<Name>Input to decode a request
	// body into.
	NewInput func() any
	// Call checks and converts the input, runs the engine, and returns
	// the SDK output (a *kms.<Name>Output, which implements
	// smithy.Serializable) or the error unchanged: a kmserrors value from
	// Check<Name>Input or the engine. An input of another type than
	// NewInput's is a plain error, which the HTTP front reports as
	// KMSInternalException.
	Call func(e *engine.Engine, c engine.Caller, in any) (smithy.Serializable, error)
	// AppendJSON is Call followed by awsjson.Append of its output: it
	// appends the response body to dst. Outputs with a direct writer
	// (see json.go) are written from the engine's output, and
	// DescribeKey's and CreateKey's from the metadata the engine lends
	// (see metadataOp), without the SDK value in between, to the same
	// bytes.
	AppendJSON func(dst []byte, e *engine.Engine, c engine.Caller, in any) ([]byte, error)
}

// op builds the Op for one operation from its check, its conversions and
// the engine method that runs it.
func op[SI, EI, EO any, SO smithy.Serializable](
	name string,
	check func(*SI) error,
	toEngine func(*SI) EI,
	run func(*engine.Engine, engine.Caller, EI) (*EO, error),
	toSDK func(*EO) SO,
) Op {
	// call checks and converts the input and runs the engine.
	call := func(e *engine.Engine, c engine.Caller, in any) (*EO, error) {
		sin, err := checked(name, in, check)
		if err != nil {
			return nil, err
		}
		return run(e, c, toEngine(sin))
	}
	write := writerOf[EO]()
	return Op{
		Name:     name,
		NewInput: func() any { return new(SI) },
		Call: func(e *engine.Engine, c engine.Caller, in any) (smithy.Serializable, error) {
			out, err := call(e, c, in)
			if err != nil {
				return nil, err
			}
			return toSDK(out), nil
		},
		AppendJSON: func(dst []byte, e *engine.Engine, c engine.Caller, in any) ([]byte, error) {
			out, err := call(e, c, in)
			if err != nil {
				return dst, err
			}
			if write != nil && out != nil {
				return write(dst, out), nil
			}
			return awsjson.Append(dst, toSDK(out)), nil
		},
	}
}

// checked returns in as the *SI it must be, once check accepts it.
func checked[SI any](name string, in any, check func(*SI) error) (*SI, error) {
	sin, ok := in.(*SI)
	if !ok {
		return nil, fmt.Errorf("kmsconv: %s: input is %T, want %T", name, in, sin)
	}
	if err := check(sin); err != nil {
		return nil, err
	}
	return sin, nil
}

// metadataOp is the Op of an operation whose response is one
// KeyMetadata (DescribeKey, CreateKey). Both of its paths read the
// metadata through the engine's view call, so the engine allocates no
// response of its own: Call converts the lent metadata to the SDK output,
// AppendJSON writes it with the direct writer.
func metadataOp[SI, EI any, SO smithy.Serializable](
	name string,
	check func(*SI) error,
	toEngine func(*SI) EI,
	view func(*engine.Engine, engine.Caller, EI, func(*engine.KeyMetadata)) error,
	conv func(*engine.KeyMetadata) SO,
) Op {
	call := func(e *engine.Engine, c engine.Caller, in any, read func(*engine.KeyMetadata)) error {
		sin, err := checked(name, in, check)
		if err != nil {
			return err
		}
		return view(e, c, toEngine(sin), read)
	}
	return Op{
		Name:     name,
		NewInput: func() any { return new(SI) },
		Call: func(e *engine.Engine, c engine.Caller, in any) (smithy.Serializable, error) {
			var out SO
			if err := call(e, c, in, func(m *engine.KeyMetadata) { out = conv(m) }); err != nil {
				return nil, err
			}
			return out, nil
		},
		AppendJSON: func(dst []byte, e *engine.Engine, c engine.Caller, in any) ([]byte, error) {
			err := call(e, c, in, func(m *engine.KeyMetadata) { dst = appendMetadataOutput(dst, "KeyMetadata", m) })
			return dst, err
		},
	}
}

// ops lists the implemented operations, sorted by name.
var ops = []Op{
	op("CancelKeyDeletion", CheckCancelKeyDeletionInput, CancelKeyDeletionInput, (*engine.Engine).CancelKeyDeletion, CancelKeyDeletionOutput),
	op("CreateAlias", CheckCreateAliasInput, CreateAliasInput, (*engine.Engine).CreateAlias, CreateAliasOutput),
	metadataOp("CreateKey", CheckCreateKeyInput, CreateKeyInput, (*engine.Engine).CreateKeyView, createKeyOutput),
	op("Decrypt", CheckDecryptInput, DecryptInput, (*engine.Engine).Decrypt, DecryptOutput),
	op("DeleteAlias", CheckDeleteAliasInput, DeleteAliasInput, (*engine.Engine).DeleteAlias, DeleteAliasOutput),
	op("DeleteImportedKeyMaterial", CheckDeleteImportedKeyMaterialInput, DeleteImportedKeyMaterialInput, (*engine.Engine).DeleteImportedKeyMaterial,
		DeleteImportedKeyMaterialOutput),
	metadataOp("DescribeKey", CheckDescribeKeyInput, DescribeKeyInput, (*engine.Engine).DescribeKeyView, describeKeyOutput),
	op("DisableKey", CheckDisableKeyInput, DisableKeyInput, (*engine.Engine).DisableKey, DisableKeyOutput),
	op("DisableKeyRotation", CheckDisableKeyRotationInput, DisableKeyRotationInput, (*engine.Engine).DisableKeyRotation, DisableKeyRotationOutput),
	op("EnableKey", CheckEnableKeyInput, EnableKeyInput, (*engine.Engine).EnableKey, EnableKeyOutput),
	op("EnableKeyRotation", CheckEnableKeyRotationInput, EnableKeyRotationInput, (*engine.Engine).EnableKeyRotation, EnableKeyRotationOutput),
	op("Encrypt", CheckEncryptInput, EncryptInput, (*engine.Engine).Encrypt, EncryptOutput),
	op("GenerateDataKey", CheckGenerateDataKeyInput, GenerateDataKeyInput, (*engine.Engine).GenerateDataKey, GenerateDataKeyOutput),
	op("GenerateDataKeyPair", CheckGenerateDataKeyPairInput, GenerateDataKeyPairInput, (*engine.Engine).GenerateDataKeyPair, GenerateDataKeyPairOutput),
	op("GenerateDataKeyPairWithoutPlaintext", CheckGenerateDataKeyPairWithoutPlaintextInput, GenerateDataKeyPairWithoutPlaintextInput,
		(*engine.Engine).GenerateDataKeyPairWithoutPlaintext, GenerateDataKeyPairWithoutPlaintextOutput),
	op("GenerateDataKeyWithoutPlaintext", CheckGenerateDataKeyWithoutPlaintextInput, GenerateDataKeyWithoutPlaintextInput,
		(*engine.Engine).GenerateDataKeyWithoutPlaintext, GenerateDataKeyWithoutPlaintextOutput),
	op("GenerateMac", CheckGenerateMacInput, GenerateMacInput, (*engine.Engine).GenerateMac, GenerateMacOutput),
	op("GenerateRandom", CheckGenerateRandomInput, GenerateRandomInput, (*engine.Engine).GenerateRandom, GenerateRandomOutput),
	op("GetKeyPolicy", CheckGetKeyPolicyInput, GetKeyPolicyInput, (*engine.Engine).GetKeyPolicy, GetKeyPolicyOutput),
	op("GetKeyRotationStatus", CheckGetKeyRotationStatusInput, GetKeyRotationStatusInput, (*engine.Engine).GetKeyRotationStatus, GetKeyRotationStatusOutput),
	op("GetParametersForImport", CheckGetParametersForImportInput, GetParametersForImportInput, (*engine.Engine).GetParametersForImport,
		GetParametersForImportOutput),
	op("GetPublicKey", CheckGetPublicKeyInput, GetPublicKeyInput, (*engine.Engine).GetPublicKey, GetPublicKeyOutput),
	op("ImportKeyMaterial", CheckImportKeyMaterialInput, ImportKeyMaterialInput, (*engine.Engine).ImportKeyMaterial, ImportKeyMaterialOutput),
	op("ListAliases", CheckListAliasesInput, ListAliasesInput, (*engine.Engine).ListAliases, ListAliasesOutput),
	op("ListKeyPolicies", CheckListKeyPoliciesInput, ListKeyPoliciesInput, (*engine.Engine).ListKeyPolicies, ListKeyPoliciesOutput),
	op("ListKeyRotations", CheckListKeyRotationsInput, ListKeyRotationsInput, (*engine.Engine).ListKeyRotations, ListKeyRotationsOutput),
	op("ListKeys", CheckListKeysInput, ListKeysInput, (*engine.Engine).ListKeys, ListKeysOutput),
	op("ListResourceTags", CheckListResourceTagsInput, ListResourceTagsInput, (*engine.Engine).ListResourceTags, ListResourceTagsOutput),
	op("PutKeyPolicy", CheckPutKeyPolicyInput, PutKeyPolicyInput, (*engine.Engine).PutKeyPolicy, PutKeyPolicyOutput),
	op("ReEncrypt", CheckReEncryptInput, ReEncryptInput, (*engine.Engine).ReEncrypt, ReEncryptOutput),
	op("ReplicateKey", CheckReplicateKeyInput, ReplicateKeyInput, (*engine.Engine).ReplicateKey, ReplicateKeyOutput),
	op("RotateKeyOnDemand", CheckRotateKeyOnDemandInput, RotateKeyOnDemandInput, (*engine.Engine).RotateKeyOnDemand, RotateKeyOnDemandOutput),
	op("ScheduleKeyDeletion", CheckScheduleKeyDeletionInput, ScheduleKeyDeletionInput, (*engine.Engine).ScheduleKeyDeletion, ScheduleKeyDeletionOutput),
	op("Sign", CheckSignInput, SignInput, (*engine.Engine).Sign, SignOutput),
	op("TagResource", CheckTagResourceInput, TagResourceInput, (*engine.Engine).TagResource, TagResourceOutput),
	op("UntagResource", CheckUntagResourceInput, UntagResourceInput, (*engine.Engine).UntagResource, UntagResourceOutput),
	op("UpdateAlias", CheckUpdateAliasInput, UpdateAliasInput, (*engine.Engine).UpdateAlias, UpdateAliasOutput),
	op("UpdateKeyDescription", CheckUpdateKeyDescriptionInput, UpdateKeyDescriptionInput, (*engine.Engine).UpdateKeyDescription, UpdateKeyDescriptionOutput),
	op("UpdatePrimaryRegion", CheckUpdatePrimaryRegionInput, UpdatePrimaryRegionInput, (*engine.Engine).UpdatePrimaryRegion, UpdatePrimaryRegionOutput),
	op("Verify", CheckVerifyInput, VerifyInput, (*engine.Engine).Verify, VerifyOutput),
	op("VerifyMac", CheckVerifyMacInput, VerifyMacInput, (*engine.Engine).VerifyMac, VerifyMacOutput),
}

// Lookup returns the operation named name (e.g. "ReplicateKey"), if the
// engine implements it.
func Lookup(name string) (Op, bool) {
	i, ok := slices.BinarySearchFunc(ops, name, func(o Op, n string) int { return strings.Compare(o.Name, n) })
	if !ok {
		return Op{}, false
	}
	return ops[i], true
}

// Names returns the names of the implemented operations, sorted.
func Names() []string {
	names := make([]string, len(ops))
	for i, o := range ops {
		names[i] = o.Name
	}
	return names
}
