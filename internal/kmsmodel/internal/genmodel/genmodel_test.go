package genmodel

import (
	"regexp"
	"strings"
	"testing"
)

func TestTranslatePattern(t *testing.T) {
	tests := []struct {
		java, want string
		match      []string
		noMatch    []string
	}{
		{
			java:    `[\u0009\u000A\u000D\u0020-\u00FF]+`,
			want:    `^(?:[\x{0009}\x{000A}\x{000D}\x{0020}-\x{00FF}]+)$`,
			match:   []string{"{\t\"a\": \"\u00ff\"}\r\n"},
			noMatch: []string{"", "\u0100", "a\x00"},
		},
		{
			java:    `^([a-z]+-){2,3}\d+$`,
			want:    `^(?:^([a-z]+-){2,3}\d+$)$`,
			match:   []string{"us-east-1", "us-gov-west-1"},
			noMatch: []string{"us-east-1\n", "US-EAST-1", "useast1", "us-east-١"},
		},
		{
			java:    `[0-9]{12}`,
			want:    `^(?:[0-9]{12})$`,
			match:   []string{"111122223333"},
			noMatch: []string{"x111122223333", "1111222233334"},
		},
		{
			java:    `^[a-zA-Z0-9:/_\s.-]+$`,
			want:    `^(?:^[a-zA-Z0-9:/_\t\n\x0B\f\r\x20.-]+$)$`,
			match:   []string{"a b\vc"},
			noMatch: []string{"a\u00a0b"},
		},
		{
			java:    `a.b\s\S`,
			want:    `^(?:a[^\n\r\x{85}\x{2028}\x{2029}]b[\t\n\x0B\f\r\x20][^\t\n\x0B\f\r\x20])$`,
			match:   []string{"axb\vc", "a\u00e9b x"},
			noMatch: []string{"a\nb c", "a\u2028b c", "axb  "},
		},
		{
			java:    `^(/[a-zA-Z0-9\/_-]+/kms/xks/v\d{1,2})$|^(/kms/xks/v\d{1,2})$`,
			want:    `^(?:^(/[a-zA-Z0-9\/_-]+/kms/xks/v\d{1,2})$|^(/kms/xks/v\d{1,2})$)$`,
			match:   []string{"/kms/xks/v1", "/a/b/kms/xks/v12"},
			noMatch: []string{"/kms/xks/v123", "x/kms/xks/v1"},
		},
		{
			java:    `[^.]`,
			want:    `^(?:[^.])$`,
			match:   []string{"x"},
			noMatch: []string{"."},
		},
	}
	for _, tt := range tests {
		got, err := TranslatePattern(tt.java)
		if err != nil {
			t.Errorf("TranslatePattern(%q): %v", tt.java, err)
			continue
		}
		if got != tt.want {
			t.Errorf("TranslatePattern(%q) = %q, want %q", tt.java, got, tt.want)
		}
		re := regexp.MustCompile(got)
		for _, s := range tt.match {
			if !re.MatchString(s) {
				t.Errorf("%q does not match %q", tt.java, s)
			}
		}
		for _, s := range tt.noMatch {
			if re.MatchString(s) {
				t.Errorf("%q matches %q", tt.java, s)
			}
		}
	}
}

func TestTranslatePatternRejects(t *testing.T) {
	for _, p := range []string{`[a[b]]`, `[a-z&&[^e]]`, `\Qa\E`, `[\S]`, `a\`, `\u00G0`, `[ab`, `a++`, `(?<=a)b`} {
		if got, err := TranslatePattern(p); err == nil {
			t.Errorf("TranslatePattern(%q) = %q, want error", p, got)
		}
	}
}

func TestGenerateRejectsBadModels(t *testing.T) {
	tests := []struct{ name, model, want string }{
		{"NoOperations", `{"operations":{},"shapes":{}}`, "no operations"},
		{"UnknownShape", `{"operations":{"Op":{"name":"Op","input":{"shape":"In"}}},"shapes":{}}`, "unknown shape"},
		{"UnknownType", `{"operations":{"Op":{"name":"Op","input":{"shape":"In"}}},"shapes":{"In":{"type":"structure","members":{"A":{"shape":"D"}}},"D":{"type":"double"}}}`, "unsupported type"},
		{"BadRequired", `{"operations":{"Op":{"name":"Op","input":{"shape":"In"}}},"shapes":{"In":{"type":"structure","required":["B"],"members":{}}}}`, "required member"},
		{"BadPattern", `{"operations":{"Op":{"name":"Op","input":{"shape":"In"}}},"shapes":{"In":{"type":"structure","members":{"A":{"shape":"S"}}},"S":{"type":"string","pattern":"(?<=a)"}}}`, "does not compile"},
	}
	for _, tt := range tests {
		_, err := Generate([]byte(tt.model), "m.json")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Generate error = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestGenerateKeepsMemberOrder(t *testing.T) {
	model := `{"metadata":{"apiVersion":"1"},"operations":{"Op":{"name":"Op","input":{"shape":"In"}}},
		"shapes":{"In":{"type":"structure","required":["Zeta"],"members":{"Zeta":{"shape":"S"},"Alpha":{"shape":"S"}}},
		"S":{"type":"string","min":1,"max":3,"enum":["b","a"]}}}`
	src, err := Generate([]byte(model), "m.json")
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	if strings.Index(s, `"Zeta"`) > strings.Index(s, `"Alpha"`) {
		t.Error("members not in model order")
	}
	if !strings.Contains(s, `{"Zeta", "zeta", sS, true}`) || !strings.Contains(s, `enum: []string{"b", "a"}`) {
		t.Errorf("unexpected output:\n%s", s)
	}
}
