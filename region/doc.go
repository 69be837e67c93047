// Package region knows the AWS partitions and Regions in which KMS runs, and
// the identifiers KMS builds from them: ARNs, account IDs and key IDs.
//
// It depends only on the standard library and imports no other package of
// kmsim. Its tables are built once, at package initialisation, from an
// embedded copy of the specification's regions.json (derived from botocore's
// endpoints.json and partitions.json) and never change afterwards, so every
// function is safe for concurrent use. No function panics on any input.
//
// # Partitions
//
// A partition is a group of Regions with its own ARN partition, DNS suffix
// and accounts: "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b",
// "aws-iso-e", "aws-iso-f" and "aws-eusc". [Partitions] lists them and
// [LookupPartition] finds one by ID. A multi-Region key's replicas must stay
// in the partition of its primary.
//
// A [Region] is one of the 46 Regions with a KMS endpoint; [Lookup] finds it
// by its [ID] and [All] lists them. Seventeen Regions of the aws partition
// are opt-in ([Region.OptIn]): an account must enable them before use.
// Pseudo-Regions such as "aws-global" are not Regions.
//
// Two checks apply to a Region code that a caller supplies, for example as a
// ReplicaRegion. [ValidCode] is the KMS model constraint (length 1 to 32 and
// [CodePattern]); a failure is a ValidationException. [PartitionFor] names
// the partition a code belongs to even when the Region is unknown, the way
// AWS SDKs do, so that "cn-foo-1" is in another partition than "us-east-1"
// while "us-invalid-1" is an unknown Region of the same one.
//
// # ARNs
//
// [ParseARN] splits any ARN into the fields of an [ARN] without judging
// them; [KMSResource] then tells a key ARN from an alias ARN. [KeyARN],
// [AliasARN] and [RootARN] build the ARNs the engine reports:
//
//	arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
//	arn:aws:kms:us-west-2:111122223333:alias/ExampleAlias
//	arn:aws:iam::111122223333:root
//
// [ValidAccountID] checks the 12-digit account ID they contain.
//
// # Key IDs
//
// A single-Region key ID is a UUID such as
// "1234abcd-12ab-34cd-56ef-1234567890ab". A multi-Region key ID is "mrk-"
// followed by 32 hex digits, such as "mrk-1234abcd12ab34cd56ef1234567890ab",
// and is shared by the primary key and all its replicas. [IsKeyID] and
// [IsMultiRegionKeyID] check the form, accepting hex digits in either case;
// a string that fails the check is answered by KMS with NotFoundException
// "Invalid keyId". [NewKeyID] draws a new lowercase ID from a caller-supplied
// random source, so a seeded source gives reproducible IDs.
package region
