// Package kmsconv converts between the AWS SDK's KMS types
// (github.com/aws/aws-sdk-go-v2/service/kms) and the engine's plain Go
// types, for the two fronts that speak the SDK's language: kmssdk, the
// in-process drop-in for *kms.Client, and kmshttp, the KMS JSON endpoint.
//
// # Inputs
//
// For every operation the engine implements, <Op>Input turns a
// *kms.<Op>Input into an engine.<Op>Input. A nil input gives the zero
// input, and a nil pointer member gives the zero value the engine reads as
// "omitted".
//
// The engine cannot tell an omitted member from one sent empty or zero,
// so Check<Op>Input reports, as the KMS front end would, a member that is
// present but outside its model range where the engine would otherwise
// apply a default: Policy "", KeyId "", Limit 0 and the like. Fronts call
// it before the conversion; it returns nil or a
// *kmserrors.ValidationException.
//
// # Outputs
//
// <Op>Output turns an engine output into the SDK's. Zero values the
// engine uses for absent members become nil pointers (DeletionDate,
// PendingDeletionWindowInDays, NextMarker, ...); members KMS always sends
// are always set (Description, ReplicaPolicy, MultiRegion, and the
// ReplicaKeys and Tags lists, which are empty rather than nil). Times are
// kept as they are, in UTC.
//
// # Errors
//
// [SDKError] turns a kmserrors value into what the SDK's deserializer
// produces for the same response: the modeled *types.<Code> exception for
// every code the KMS model declares, and a *smithy.GenericAPIError for the
// codes only the AWS front end returns (ValidationException,
// AccessDeniedException, ThrottlingException, ...).
//
// # Registry
//
// [Lookup] and [Names] list the implemented operations as [Op] values for
// the HTTP front: a way to make an empty input to decode a request into,
// and a call that checks it, converts it, runs the engine and converts the
// result, or (AppendJSON) appends the response body the HTTP front sends,
// written straight from the engine's output where a direct writer exists.
package kmsconv
