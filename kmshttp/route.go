package kmshttp

import (
	"net/http"
	"reflect"
	"sync"

	"github.com/kmsim/kmsim/internal/kmsconv"
	"github.com/kmsim/kmsim/internal/kmsmodel"
)

// route is what serving one operation of the model takes: its body
// parser, and, when kmsim implements it, its registry entry and the
// decoder of its input type. Each request finds its route with one map
// lookup; searching the model, the registry and the decoder cache by
// name took three.
type route struct {
	parser      kmsmodel.Parser
	implemented bool
	op          kmsconv.Op
	decode      decodeFunc // of op's *kms.<Op>Input
}

// routes maps each operation name of the model to its route.
var routes = sync.OnceValue(func() map[string]*route {
	names := kmsmodel.Operations()
	m := make(map[string]*route, len(names))
	for _, name := range names {
		p, ok := kmsmodel.ParserOf(name)
		if !ok {
			panic("kmshttp: the model lists " + name + " but has no parser for it")
		}
		rt := &route{parser: p}
		if op, ok := kmsconv.Lookup(name); ok {
			rt.implemented, rt.op = true, op
			rt.decode = decoderOf(reflect.TypeOf(op.NewInput()))
		}
		m[name] = rt
	}
	return m
})

// decodeParsed is the package's decodeParsed with the route's decoder,
// for in, a value of op.NewInput.
func (rt *route) decodeParsed(v kmsmodel.Value, in any) bool {
	return rt.decode(v, reflect.ValueOf(in))
}

// headerValue is h.Get(key) for a key in canonical form, without
// canonicalizing it again on every request.
func headerValue(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}
