// Command verdicts prints what the GitOps tools users run would say about DDMRun statuses:
// kstatus (sigs.k8s.io/cli-utils, the library behind Flux's and kpt's health checks and
// `kubectl wait`-style waits) and Argo CD's custom health check run in gopher-lua, the Lua
// runtime Argo CD embeds. The conformance test feeds it every status a real run went through.
//
//	verdicts HEALTH.lua OBJECTS.json
//
// OBJECTS.json is a JSON array of objects; the output is a JSON array with one verdict each.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	lua "github.com/yuin/gopher-lua"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

type verdict struct {
	Kstatus        string `json:"kstatus"`
	KstatusMessage string `json:"kstatusMessage"`
	Argo           string `json:"argo"`
	ArgoMessage    string `json:"argoMessage"`
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: verdicts HEALTH.lua OBJECTS.json")
		os.Exit(2)
	}
	script, err := os.ReadFile(os.Args[1])
	check(err)
	raw, err := os.ReadFile(os.Args[2])
	check(err)
	// Kubernetes' own decoding: whole numbers become int64, as unstructured objects expect.
	var objects []interface{}
	check(utiljson.Unmarshal(raw, &objects))
	verdicts := make([]verdict, 0, len(objects))
	for _, o := range objects {
		obj, ok := o.(map[string]interface{})
		if !ok {
			check(fmt.Errorf("OBJECTS.json holds a %T, not an object", o))
		}
		res, err := status.Compute(&unstructured.Unstructured{Object: obj})
		check(err)
		health, message, err := argoHealth(string(script), obj)
		check(err)
		verdicts = append(verdicts, verdict{res.Status.String(), res.Message, health, message})
	}
	check(json.NewEncoder(os.Stdout).Encode(verdicts))
}

// argoHealth runs the health check as Argo CD does: the object as the global `obj`, the
// script's returned table read for `status` and `message`.
func argoHealth(script string, obj map[string]interface{}) (string, string, error) {
	// As Argo CD does: no io or os, only the libraries a health check may use.
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer L.Close()
	for name, open := range map[string]lua.LGFunction{
		lua.LoadLibName:   lua.OpenPackage,
		lua.BaseLibName:   lua.OpenBase,
		lua.TabLibName:    lua.OpenTable,
		lua.StringLibName: lua.OpenString,
		lua.MathLibName:   lua.OpenMath,
	} {
		L.Push(L.NewFunction(open))
		L.Push(lua.LString(name))
		L.Call(1, 0)
	}
	L.SetGlobal("obj", toLua(L, obj))
	if err := L.DoString(script); err != nil {
		return "", "", err
	}
	table, ok := L.Get(-1).(*lua.LTable)
	if !ok {
		return "", "", fmt.Errorf("the health check returned %s, not a table", L.Get(-1).Type())
	}
	return lua.LVAsString(table.RawGetString("status")), lua.LVAsString(table.RawGetString("message")), nil
}

// toLua converts decoded JSON to Lua values: objects and arrays become tables (arrays 1-based).
func toLua(L *lua.LState, v interface{}) lua.LValue {
	switch x := v.(type) {
	case map[string]interface{}:
		t := L.NewTable()
		for k, e := range x {
			t.RawSetString(k, toLua(L, e))
		}
		return t
	case []interface{}:
		t := L.NewTable()
		for _, e := range x {
			t.Append(toLua(L, e))
		}
		return t
	case string:
		return lua.LString(x)
	case float64:
		return lua.LNumber(x)
	case int64:
		return lua.LNumber(x)
	case bool:
		return lua.LBool(x)
	default:
		return lua.LNil
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "verdicts:", err)
		os.Exit(1)
	}
}
