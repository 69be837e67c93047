package kmshttp

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/region"
)

// SigV4 constants of the KMS endpoint.
const (
	sigAlgorithm    = "AWS4-HMAC-SHA256"
	sigService      = "kms"
	sigTerminator   = "aws4_request"
	amzDateFormat   = "20060102T150405Z"
	scopeFormat     = "20060102"
	maxClockSkew    = 15 * time.Minute
	msgUnknownKey   = "The security token included in the request is invalid."
	msgBadSignature = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

// credential is the Credential parameter of a SigV4 Authorization header:
// <access key ID>/<yyyymmdd>/<region>/<service>/aws4_request.
type credential struct {
	accessKeyID, date, region, service, terminator string
}

// authorization is a parsed SigV4 Authorization header.
type authorization struct {
	raw    string
	cred   credential
	credOK bool // cred was parsed
	// signedHeaders is the SignedHeaders parameter, names separated by
	// ';'; it is split only when strict mode re-signs the request, so
	// that lenient requests parse without allocating.
	signedHeaders string
	signature     string
}

// parseAuthorization parses an Authorization header of the form
//
//	AWS4-HMAC-SHA256 Credential=<cred>, SignedHeaders=<h1;h2>, Signature=<hex>
//
// It returns what it could read, and an IncompleteSignatureException
// worded as AWS words it when the header is incomplete or malformed.
func parseAuthorization(v string) (authorization, error) {
	a := authorization{raw: v}
	alg, params, _ := strings.Cut(strings.TrimSpace(v), " ")
	if alg != sigAlgorithm {
		return a, &kmserrors.IncompleteSignatureException{Message: fmt.Sprintf(
			"Unsupported AWS 'algorithm': '%s'. Authorization=%s", alg, v)}
	}
	var credRaw string
	var haveCred, haveSigned, haveSig bool
	for rest, more := params, true; more; {
		var p string
		p, rest, more = strings.Cut(rest, ",")
		k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok {
			continue
		}
		switch k {
		case "Credential":
			credRaw, haveCred = val, true
		case "SignedHeaders":
			a.signedHeaders, haveSigned = val, val != ""
		case "Signature":
			a.signature, haveSig = val, val != ""
		}
	}
	var missing []string
	if !haveCred {
		missing = append(missing, "Authorization header requires 'Credential' parameter.")
	}
	if !haveSigned {
		missing = append(missing, "Authorization header requires 'SignedHeaders' parameter.")
	}
	if !haveSig {
		missing = append(missing, "Authorization header requires 'Signature' parameter.")
	}
	if haveCred {
		if strings.Count(credRaw, "/") != 4 {
			missing = append(missing, fmt.Sprintf(
				"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'.", credRaw))
		} else {
			var c credential
			c.accessKeyID, credRaw, _ = strings.Cut(credRaw, "/")
			c.date, credRaw, _ = strings.Cut(credRaw, "/")
			c.region, credRaw, _ = strings.Cut(credRaw, "/")
			c.service, c.terminator, _ = strings.Cut(credRaw, "/")
			a.cred, a.credOK = c, true
		}
	}
	if len(missing) > 0 {
		return a, &kmserrors.IncompleteSignatureException{Message: strings.Join(missing, " ") + " Authorization=" + v}
	}
	return a, nil
}

// authenticate finds the caller of a KMS request: the Region of its
// credential scope (or the default Region) and the owner of its access
// key (or the default account's root user). In strict mode it also
// verifies the signature; see the package documentation.
func (h *Handler) authenticate(r *http.Request, body []byte) (engine.Caller, error) {
	c := engine.Caller{Account: h.account, Region: h.defaultRegion, SourceIP: sourceIP(r)}
	header := headerValue(r.Header, "Authorization")
	if header == "" {
		if h.strict {
			// What AWS answers a request that carries no signature.
			return c, &kmserrors.MissingAuthenticationTokenException{Message: "Missing Authentication Token"}
		}
		return c, nil
	}
	a, err := parseAuthorization(header)
	if a.credOK {
		c.Region = ownRegionID(a.cred.region)
	}
	if !h.strict {
		// Lenient: use what the Credential says, ignore the rest.
		if a.credOK {
			if k, ok := h.engine.LookupAccessKey(a.cred.accessKeyID); ok {
				c.Account, c.Principal = k.Account, k.Principal
			}
		}
		return c, nil
	}
	if err != nil {
		return c, err
	}
	k, err := h.verify(r, body, a)
	if err != nil {
		return c, err
	}
	c.Account, c.Principal = k.Account, k.Principal
	return c, nil
}

// ownRegionID returns the Region ID of a credential scope as a string that
// does not share memory with the request. The scope is a substring of the
// Authorization header, and net/textproto allocates the values of a
// request's headers together, so the caller's Region, which the engine
// keeps in the event of every call, would otherwise hold all of that
// request's headers in memory for as long as the event lives: about half
// a kilobyte per event, 5 MB of the 19 MB live heap of a "kmsim bench"
// server with its 10,000-event log. A known Region takes the table's own
// ID, without allocating; an unknown one (the engine rejects it) a copy.
func ownRegionID(scope string) region.ID {
	if r, ok := region.Lookup(region.ID(scope)); ok {
		return r.ID
	}
	return region.ID(strings.Clone(scope))
}

// verify checks a parsed Authorization header in strict mode and returns
// the access key that signed the request.
func (h *Handler) verify(r *http.Request, body []byte, a authorization) (engine.AccessKey, error) {
	amzDate := r.Header.Get("X-Amz-Date")
	if amzDate == "" {
		return engine.AccessKey{}, &kmserrors.IncompleteSignatureException{Message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" + a.raw}
	}
	signed, err := time.Parse(amzDateFormat, amzDate)
	if err != nil {
		return engine.AccessKey{}, &kmserrors.IncompleteSignatureException{Message: fmt.Sprintf(
			"Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", amzDate)}
	}
	if day := signed.Format(scopeFormat); a.cred.date != day {
		return engine.AccessKey{}, &kmserrors.InvalidSignatureException{Message: fmt.Sprintf(
			"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.",
			a.cred.date, day, amzDate)}
	}
	if a.cred.service != sigService {
		return engine.AccessKey{}, &kmserrors.InvalidSignatureException{Message: "Credential should be scoped to correct service: '" + sigService + "'. "}
	}
	if a.cred.terminator != sigTerminator {
		return engine.AccessKey{}, &kmserrors.InvalidSignatureException{Message: fmt.Sprintf(
			"Credential should be scoped with a valid terminator: '%s', not '%s'. ", sigTerminator, a.cred.terminator)}
	}
	k, ok := h.engine.LookupAccessKey(a.cred.accessKeyID)
	if !ok {
		return k, &kmserrors.UnrecognizedClientException{Message: msgUnknownKey}
	}
	now := h.now().UTC()
	if signed.Before(now.Add(-maxClockSkew)) {
		return k, &kmserrors.InvalidSignatureException{Message: fmt.Sprintf(
			"Signature expired: %s is now earlier than %s (%s - 15 min.)",
			amzDate, now.Add(-maxClockSkew).Format(amzDateFormat), now.Format(amzDateFormat))}
	}
	if signed.After(now.Add(maxClockSkew)) {
		return k, &kmserrors.InvalidSignatureException{Message: fmt.Sprintf(
			"Signature not yet current: %s is still later than %s (%s + 15 min.)",
			amzDate, now.Add(maxClockSkew).Format(amzDateFormat), now.Format(amzDateFormat))}
	}
	want, err := resign(r, body, a, k.Secret, signed)
	if err != nil {
		return k, err
	}
	if !hmac.Equal([]byte(want), []byte(a.signature)) {
		return k, &kmserrors.InvalidSignatureException{Message: msgBadSignature}
	}
	return k, nil
}

// resign signs a copy of r holding only the headers a names as signed,
// with the SDK's SigV4 signer and secret, at the time the request claims,
// and returns the signature.
func resign(r *http.Request, body []byte, a authorization, secret string, at time.Time) (string, error) {
	clone := &http.Request{
		Method: r.Method,
		URL:    &url.URL{Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery},
		Host:   r.Host,
		Header: make(http.Header, strings.Count(a.signedHeaders, ";")+1),
	}
	for _, name := range strings.Split(a.signedHeaders, ";") {
		switch name = strings.ToLower(name); name {
		case "host":
			// The signer takes it from clone.Host.
		case "content-length":
			clone.ContentLength = int64(len(body))
		default:
			key := textproto.CanonicalMIMEHeaderKey(name)
			if v, ok := r.Header[key]; ok {
				clone.Header[key] = slices.Clone(v)
			}
		}
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: a.cred.accessKeyID, SecretAccessKey: secret}
	err := v4.NewSigner().SignHTTP(context.Background(), creds, clone, hex.EncodeToString(sum[:]),
		sigService, a.cred.region, at)
	if err != nil {
		return "", fmt.Errorf("kmshttp: re-signing the request: %w", err)
	}
	_, sig, _ := strings.Cut(clone.Header.Get("Authorization"), "Signature=")
	return sig, nil
}
