// Package kmsmodel holds the AWS KMS API model, generated from the botocore
// service model, and validates request bodies against it the way the AWS
// front end does before a request reaches KMS.
//
// # Operations
//
// [Operations] lists the 54 operation names and [Lookup] describes one as
// an [Operation], with the error codes the model declares for it.
//
// # Validation
//
// [Validate] checks the JSON body of a request: member types, required
// members, length and value ranges, enum values and patterns. It returns
// nil, a *kmserrors.SerializationException when the body cannot be read as
// the operation's input, a *kmserrors.ValidationException listing every
// constraint violation, or a *kmserrors.UnknownOperationException for an
// operation the model does not have. The details, including how member
// paths and values are spelled in messages, are documented on [Validate].
//
// # Generation
//
// zz_model.go is generated from kms-service-2.json and checked in; to
// regenerate, run go generate in this directory with the shared reference
// files next to the repository checkout. A test compares the checked-in
// file with a fresh generation whenever the model file is present.
package kmsmodel

//go:generate go run ./gen -model ../../../shared/reference/kms-service-2.json
