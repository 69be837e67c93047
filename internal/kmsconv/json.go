package kmsconv

import (
	"reflect"
	"strconv"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/internal/awsjson"
)

// The HTTP front sends the SDK output of each operation as awsjson
// encodes it. For the outputs it serves most (key metadata), a writer
// here appends the same bytes straight from the engine's output (for
// DescribeKey and CreateKey, from the metadata the engine lends; see
// metadataOp),
// without building the SDK value and walking its schema: that took
// about a third of the handler's time. Tests hold each writer to
// awsjson.Marshal of the converted output, byte for byte.

// writers maps an engine output type to its direct writer, a
// func([]byte, *<Output>) []byte.
var writers = map[reflect.Type]any{
	reflect.TypeFor[engine.ReplicateKeyOutput](): appendReplicateKeyOutput,
}

// appendReplicateKeyOutput appends a ReplicateKey response: the replica's
// metadata, its policy and, when the request had tags, its tags.
func appendReplicateKeyOutput(b []byte, out *engine.ReplicateKeyOutput) []byte {
	b = append(b, `{"ReplicaKeyMetadata":`...)
	b = appendKeyMetadata(b, &out.ReplicaKeyMetadata)
	b = appendStringMember(b, "ReplicaPolicy", out.ReplicaPolicy)
	if out.ReplicaTags != nil {
		b = append(b, `,"ReplicaTags":[`...)
		for i, tag := range out.ReplicaTags {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"TagKey":`...)
			b = awsjson.AppendString(b, tag.Key)
			b = appendStringMember(b, "TagValue", tag.Value)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// writerOf returns the direct writer of engine output type EO, or nil.
func writerOf[EO any]() func([]byte, *EO) []byte {
	w, _ := writers[reflect.TypeFor[EO]()].(func([]byte, *EO) []byte)
	return w
}

// appendMetadataOutput appends {"<member>":<metadata>}.
func appendMetadataOutput(b []byte, member string, m *engine.KeyMetadata) []byte {
	b = append(b, '{')
	b = awsjson.AppendString(b, member)
	b = append(b, ':')
	b = appendKeyMetadata(b, m)
	return append(b, '}')
}

// appendKeyMetadata appends m as awsjson encodes KeyMetadata(m): the
// members in the SDK's (alphabetical) order, those KeyMetadata leaves nil
// omitted, and Enabled, a BooleanType that awsjson writes as false after
// the others when the SDK skips it, last when false.
func appendKeyMetadata(b []byte, m *engine.KeyMetadata) []byte {
	b = append(b, `{"AWSAccountId":`...)
	b = awsjson.AppendString(b, m.AWSAccountID)
	b = appendStringMember(b, "Arn", m.Arn)
	b = appendOptional(b, "CloudHsmClusterId", m.CloudHsmClusterID)
	b = append(b, `,"CreationDate":`...)
	b = awsjson.AppendTime(b, m.CreationDate)
	b = appendOptional(b, "CurrentKeyMaterialId", m.CurrentKeyMaterialID)
	b = appendOptional(b, "CustomKeyStoreId", m.CustomKeyStoreID)
	b = appendOptional(b, "CustomerMasterKeySpec", string(m.CustomerMasterKeySpec))
	if !m.DeletionDate.IsZero() {
		b = append(b, `,"DeletionDate":`...)
		b = awsjson.AppendTime(b, m.DeletionDate)
	}
	b = appendStringMember(b, "Description", m.Description)
	if m.Enabled {
		b = append(b, `,"Enabled":true`...)
	}
	b = appendList(b, "EncryptionAlgorithms", m.EncryptionAlgorithms)
	b = appendOptional(b, "ExpirationModel", string(m.ExpirationModel))
	b = appendList(b, "KeyAgreementAlgorithms", m.KeyAgreementAlgorithms)
	b = appendStringMember(b, "KeyId", m.KeyID)
	b = appendOptional(b, "KeyManager", string(m.KeyManager))
	b = appendOptional(b, "KeySpec", string(m.KeySpec))
	b = appendOptional(b, "KeyState", string(m.KeyState))
	b = appendOptional(b, "KeyUsage", string(m.KeyUsage))
	b = appendList(b, "MacAlgorithms", m.MacAlgorithms)
	b = append(b, `,"MultiRegion":`...)
	b = strconv.AppendBool(b, m.MultiRegion)
	if c := m.MultiRegionConfiguration; c != nil {
		b = append(b, `,"MultiRegionConfiguration":{`...)
		first := true
		if c.MultiRegionKeyType != "" {
			b = append(b, `"MultiRegionKeyType":`...)
			b = awsjson.AppendString(b, string(c.MultiRegionKeyType))
			first = false
		}
		if !first {
			b = append(b, ',')
		}
		b = append(b, `"PrimaryKey":`...)
		b = appendMultiRegionKey(b, &c.PrimaryKey)
		b = append(b, `,"ReplicaKeys":[`...)
		for i := range c.ReplicaKeys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendMultiRegionKey(b, &c.ReplicaKeys[i])
		}
		b = append(b, "]}"...)
	}
	b = appendOptional(b, "Origin", string(m.Origin))
	if m.PendingDeletionWindowInDays != 0 {
		b = append(b, `,"PendingDeletionWindowInDays":`...)
		b = strconv.AppendInt(b, int64(m.PendingDeletionWindowInDays), 10)
	}
	b = appendList(b, "SigningAlgorithms", m.SigningAlgorithms)
	if !m.ValidTo.IsZero() {
		b = append(b, `,"ValidTo":`...)
		b = awsjson.AppendTime(b, m.ValidTo)
	}
	if m.XksKeyID != "" {
		b = append(b, `,"XksKeyConfiguration":{"Id":`...)
		b = awsjson.AppendString(b, m.XksKeyID)
		b = append(b, '}')
	}
	if !m.Enabled {
		b = append(b, `,"Enabled":false`...)
	}
	return append(b, '}')
}

func appendMultiRegionKey(b []byte, k *engine.MultiRegionKey) []byte {
	b = append(b, `{"Arn":`...)
	b = awsjson.AppendString(b, k.Arn)
	b = append(b, `,"Region":`...)
	b = awsjson.AppendString(b, string(k.Region))
	return append(b, '}')
}

// appendStringMember appends ,"<name>":"<s>" (not the first member).
func appendStringMember(b []byte, name, s string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return awsjson.AppendString(b, s)
}

// appendOptional is appendStringMember for members nil when "".
func appendOptional(b []byte, name, s string) []byte {
	if s == "" {
		return b
	}
	return appendStringMember(b, name, s)
}

// appendList appends a list of strings, omitted when empty as the
// conversion leaves it nil.
func appendList(b []byte, name string, list []string) []byte {
	if len(list) == 0 {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, `":[`...)
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = awsjson.AppendString(b, s)
	}
	return append(b, ']')
}
