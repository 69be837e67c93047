package kmsconv

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsim/kmsim/engine"
)

// CreateAliasInput converts a CreateAlias request.
func CreateAliasInput(in *kms.CreateAliasInput) engine.CreateAliasInput {
	if in == nil {
		return engine.CreateAliasInput{}
	}
	return engine.CreateAliasInput{AliasName: str(in.AliasName), TargetKeyID: str(in.TargetKeyId)}
}

// UpdateAliasInput converts an UpdateAlias request.
func UpdateAliasInput(in *kms.UpdateAliasInput) engine.UpdateAliasInput {
	if in == nil {
		return engine.UpdateAliasInput{}
	}
	return engine.UpdateAliasInput{AliasName: str(in.AliasName), TargetKeyID: str(in.TargetKeyId)}
}

// DeleteAliasInput converts a DeleteAlias request.
func DeleteAliasInput(in *kms.DeleteAliasInput) engine.DeleteAliasInput {
	if in == nil {
		return engine.DeleteAliasInput{}
	}
	return engine.DeleteAliasInput{AliasName: str(in.AliasName)}
}

// ListAliasesInput converts a ListAliases request.
func ListAliasesInput(in *kms.ListAliasesInput) engine.ListAliasesInput {
	if in == nil {
		return engine.ListAliasesInput{}
	}
	return engine.ListAliasesInput{KeyID: str(in.KeyId), Limit: num(in.Limit), Marker: str(in.Marker)}
}

// CreateAliasOutput converts the empty CreateAlias response.
func CreateAliasOutput(out *engine.CreateAliasOutput) *kms.CreateAliasOutput {
	if out == nil {
		return nil
	}
	return &kms.CreateAliasOutput{}
}

// UpdateAliasOutput converts the empty UpdateAlias response.
func UpdateAliasOutput(out *engine.UpdateAliasOutput) *kms.UpdateAliasOutput {
	if out == nil {
		return nil
	}
	return &kms.UpdateAliasOutput{}
}

// DeleteAliasOutput converts the empty DeleteAlias response.
func DeleteAliasOutput(out *engine.DeleteAliasOutput) *kms.DeleteAliasOutput {
	if out == nil {
		return nil
	}
	return &kms.DeleteAliasOutput{}
}

// ListAliasesOutput converts a ListAliases page. Aliases is never nil;
// NextMarker is nil unless the page is truncated.
func ListAliasesOutput(out *engine.ListAliasesOutput) *kms.ListAliasesOutput {
	if out == nil {
		return nil
	}
	aliases := make([]types.AliasListEntry, len(out.Aliases))
	for i, a := range out.Aliases {
		aliases[i] = types.AliasListEntry{
			AliasName:       aws.String(a.AliasName),
			AliasArn:        aws.String(a.AliasArn),
			TargetKeyId:     optional(a.TargetKeyID),
			CreationDate:    aws.Time(a.CreationDate),
			LastUpdatedDate: aws.Time(a.LastUpdatedDate),
		}
	}
	return &kms.ListAliasesOutput{Aliases: aliases, NextMarker: optional(out.NextMarker), Truncated: out.Truncated}
}

// CheckCreateAliasInput reports an AliasName or TargetKeyId sent empty.
func CheckCreateAliasInput(in *kms.CreateAliasInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("aliasName", in.AliasName)
	p.minLen("targetKeyId", in.TargetKeyId)
	return p.err()
}

// CheckUpdateAliasInput reports an AliasName or TargetKeyId sent empty.
func CheckUpdateAliasInput(in *kms.UpdateAliasInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("aliasName", in.AliasName)
	p.minLen("targetKeyId", in.TargetKeyId)
	return p.err()
}

// CheckDeleteAliasInput reports an AliasName sent empty.
func CheckDeleteAliasInput(in *kms.DeleteAliasInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("aliasName", in.AliasName)
	return p.err()
}

// CheckListAliasesInput reports a KeyId or Marker sent empty or a Limit
// of 0.
func CheckListAliasesInput(in *kms.ListAliasesInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("keyId", in.KeyId)
	p.minValue("limit", in.Limit)
	p.minLen("marker", in.Marker)
	return p.err()
}
