// Package awsjson writes Smithy shapes of the AWS SDK for Go v2 as
// awsJson1.1 JSON, the body format of KMS responses.
//
// The SDK's types serialize themselves through a [smithy.ShapeSerializer]
// (their Serialize method); smithy-go's JSON implementation is internal to
// it, so [Encoder] provides one for the simulator's HTTP front end:
//
//	body := awsjson.Marshal(&kms.DescribeKeyOutput{KeyMetadata: md})
//
// # Format
//
// Objects use the member name of each member schema (KeyId, AWSAccountId),
// never the jsonName trait, as awsJson1.1 requires. Timestamps are epoch
// seconds with at most millisecond precision, as a JSON number
// (1607472987.918; whole seconds have no fraction), unless the member
// carries a timestampFormat trait (date-time, http-date). Blobs are
// standard base64 with padding. Map entries are sorted by key so that the
// output is deterministic. Strings are escaped as JSON requires; invalid
// UTF-8 becomes U+FFFD. Non-finite floats are the strings "NaN",
// "Infinity" and "-Infinity", as the AWS JSON protocols send them.
//
// # Absent members
//
// The generated Serialize methods skip nil pointers, nil slices and maps,
// empty enum strings and false values of non-pointer booleans. The
// encoder adds what the real service would still send: a struct member
// targeting com.amazonaws.kms#BooleanType (a primitive boolean, false by
// default, such as KeyMetadata.Enabled, ListKeys' Truncated or
// KeyRotationEnabled) is written as false when the Serialize method did
// not write it. Non-nil empty slices and maps are written ([] and {}).
// [Encoder.WriteNil] omits a struct member, and writes null inside lists,
// maps and at the top level.
package awsjson
