package kmshttp

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/region"
)

// adminPrefix is the reserved path prefix of the admin API.
const adminPrefix = "/_kmsim/"

// Admin request and response bodies. Field names are the JSON member
// names.
type (
	adminAccount struct {
		Id        string
		Partition string
	}
	adminPrincipal struct {
		Arn string
	}
	adminPrincipalPolicy struct {
		Arn      string
		Name     string
		Document string
	}
	// adminPolicyRef names an inline IAM policy: the body of DELETE
	// /_kmsim/principal-policies and the response of both methods.
	adminPolicyRef struct {
		Arn  string
		Name string
	}
	adminAccessKey struct {
		Id        string
		Secret    string `json:",omitempty"`
		Account   string
		Principal string
	}
	adminRegion struct {
		Account string
		Region  region.ID
	}
	adminRegionState struct {
		Account string
		Region  region.ID
		Enabled bool
	}
	adminAdvance struct {
		Seconds float64
	}
	adminClock struct {
		Now time.Time
	}
)

// adminFunc serves one admin endpoint and returns the response value.
type adminFunc func(h *Handler, x *exchange) (any, error)

// adminRoutes maps a path below adminPrefix and a method to an endpoint.
var adminRoutes = map[string]map[string]adminFunc{
	"accounts": {
		http.MethodGet:  (*Handler).adminListAccounts,
		http.MethodPost: (*Handler).adminCreateAccount,
	},
	"principals": {http.MethodPost: (*Handler).adminCreatePrincipal},
	"principal-policies": {
		http.MethodPost:   (*Handler).adminPutPrincipalPolicy,
		http.MethodDelete: (*Handler).adminDeletePrincipalPolicy,
	},
	"access-keys":     {http.MethodPost: (*Handler).adminCreateAccessKey},
	"regions/enable":  {http.MethodPost: (*Handler).adminEnableRegion},
	"regions/disable": {http.MethodPost: (*Handler).adminDisableRegion},
	"events":          {http.MethodGet: (*Handler).adminEvents},
	"pending":         {http.MethodGet: (*Handler).adminPending},
	"clock":           {http.MethodGet: (*Handler).adminGetClock},
	"clock/advance":   {http.MethodPost: (*Handler).adminAdvanceClock},
}

// serveAdmin answers a request below /_kmsim/.
func (h *Handler) serveAdmin(x *exchange) {
	path := strings.TrimPrefix(x.r.URL.Path, adminPrefix)
	x.op = adminPrefix + path
	methods, ok := adminRoutes[path]
	if !ok {
		x.failStatus(http.StatusNotFound, &kmserrors.NotFoundException{Message: "kmsim has no admin endpoint " + x.r.URL.Path + "."})
		return
	}
	serve, ok := methods[x.r.Method]
	if !ok {
		allow := slices.Sorted(maps.Keys(methods))
		x.w.Header().Set("Allow", strings.Join(allow, ", "))
		x.failStatus(http.StatusMethodNotAllowed, &kmserrors.UnsupportedOperationException{
			Message: x.r.URL.Path + " accepts " + strings.Join(allow, " or ") + ", not " + x.r.Method + "."})
		return
	}
	out, err := serve(h, x)
	if err != nil {
		var nf notFoundStatus
		if errors.As(err, &nf) {
			x.failStatus(http.StatusNotFound, err)
			return
		}
		x.fail(err)
		return
	}
	body, err := marshalJSON(out)
	if err != nil {
		x.fail(err)
		return
	}
	x.write(http.StatusOK, "application/json", body)
}

// notFoundStatus marks an admin error answered with 404.
type notFoundStatus struct{ error }

func (e notFoundStatus) Unwrap() error { return e.error }

// decodeAdmin reads an admin request body into v. Unknown members and
// anything but one JSON object are a SerializationException; an empty
// body is {}.
func decodeAdmin(x *exchange, v any) error {
	body, err := x.readBody(nil)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &kmserrors.SerializationException{Message: "Cannot read the request body: " + err.Error()}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &kmserrors.SerializationException{Message: "Unexpected content after the JSON object."}
	}
	return nil
}

func (h *Handler) adminCreateAccount(x *exchange) (any, error) {
	var in adminAccount
	if err := decodeAdmin(x, &in); err != nil {
		return nil, err
	}
	in.Partition = cmp.Or(in.Partition, "aws")
	if err := h.engine.CreateAccount(engine.AccountInput{ID: in.Id, Partition: in.Partition}); err != nil {
		return nil, err
	}
	return in, nil
}

func (h *Handler) adminListAccounts(*exchange) (any, error) {
	return h.engine.Accounts(), nil
}

func (h *Handler) adminCreatePrincipal(x *exchange) (any, error) {
	var in adminPrincipal
	if err := decodeAdmin(x, &in); err != nil {
		return nil, err
	}
	if err := h.engine.CreatePrincipal(in.Arn); err != nil {
		return nil, err
	}
	return in, nil
}

func (h *Handler) adminPutPrincipalPolicy(x *exchange) (any, error) {
	var in adminPrincipalPolicy
	if err := decodeAdmin(x, &in); err != nil {
		return nil, err
	}
	if err := h.engine.PutPrincipalPolicy(in.Arn, in.Name, in.Document); err != nil {
		return nil, err
	}
	return adminPolicyRef{Arn: in.Arn, Name: in.Name}, nil
}

func (h *Handler) adminDeletePrincipalPolicy(x *exchange) (any, error) {
	var in adminPolicyRef
	if err := decodeAdmin(x, &in); err != nil {
		return nil, err
	}
	if err := h.engine.DeletePrincipalPolicy(in.Arn, in.Name); err != nil {
		return nil, err
	}
	return in, nil
}

func (h *Handler) adminCreateAccessKey(x *exchange) (any, error) {
	var in adminAccessKey
	if err := decodeAdmin(x, &in); err != nil {
		return nil, err
	}
	err := h.engine.CreateAccessKey(engine.AccessKey{ID: in.Id, Secret: in.Secret, Account: in.Account, Principal: in.Principal})
	if err != nil {
		return nil, err
	}
	// Report the principal the engine filled in; never echo the secret.
	k, _ := h.engine.LookupAccessKey(in.Id)
	return adminAccessKey{Id: k.ID, Account: k.Account, Principal: k.Principal}, nil
}

func (h *Handler) adminEnableRegion(x *exchange) (any, error)  { return h.adminSetRegion(x, true) }
func (h *Handler) adminDisableRegion(x *exchange) (any, error) { return h.adminSetRegion(x, false) }

func (h *Handler) adminSetRegion(x *exchange, on bool) (any, error) {
	var in adminRegion
	if err := decodeAdmin(x, &in); err != nil {
		return nil, err
	}
	x.region = in.Region
	set := h.engine.DisableRegion
	if on {
		set = h.engine.EnableRegion
	}
	if err := set(in.Account, in.Region); err != nil {
		return nil, err
	}
	return adminRegionState{Account: in.Account, Region: in.Region, Enabled: on}, nil
}

func (h *Handler) adminEvents(*exchange) (any, error) {
	return h.engine.Events(), nil
}

func (h *Handler) adminPending(*exchange) (any, error) {
	return h.engine.Pending(), nil
}

// manualClock returns the handler's clock if the admin API may move it.
func (h *Handler) manualClock() (ManualClock, error) {
	if c, ok := h.clock.(ManualClock); ok {
		return c, nil
	}
	return nil, notFoundStatus{&kmserrors.UnsupportedOperationException{Message: "the server runs on the real clock"}}
}

func (h *Handler) adminGetClock(*exchange) (any, error) {
	c, err := h.manualClock()
	if err != nil {
		return nil, err
	}
	return adminClock{Now: c.Now()}, nil
}

// maxAdvance bounds one clock advance; time.Duration holds about 292
// years.
const maxAdvance = 100 * 365 * 24 * time.Hour

func (h *Handler) adminAdvanceClock(x *exchange) (any, error) {
	c, err := h.manualClock()
	if err != nil {
		return nil, err
	}
	var in adminAdvance
	if err := decodeAdmin(x, &in); err != nil {
		return nil, err
	}
	if math.IsNaN(in.Seconds) || in.Seconds < 0 || in.Seconds > maxAdvance.Seconds() {
		return nil, &kmserrors.ValidationException{Message: "Seconds must be a number from 0 to 3153600000."}
	}
	now := c.Advance(time.Duration(math.Round(in.Seconds * float64(time.Second))))
	// Apply the transitions that fell due, so that events and pending
	// show them at once.
	h.engine.Pending()
	return adminClock{Now: now}, nil
}
