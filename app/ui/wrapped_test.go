package ui

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Every word-wrapped label given a text after its screen was laid out (in
// a callback, a background load's result, another method than the one
// that made it) gets it through kit.SetWrapped or kit.ShowWrapped, or is
// a kit.Message: with l.SetText, Fyne does not lay the screen out again
// for it (the headless window never, the real one not on a frame where
// something else grew too), and the words past its old lines were cut off
// (紧急's hint, 设置's backup and account messages, 同步's, a field's error
// under a form). The tests see only the texts they make long; this reads
// every file, so the next such label is caught too.
func TestWrappedLabelsGrowInPlace(t *testing.T) {
	fset := token.NewFileSet()
	pkgs := map[string][]*ast.File{} // by folder
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return fmt.Errorf("parse %s: %w", path, err)
		}
		pkgs[filepath.Dir(path)] = append(pkgs[filepath.Dir(path)], f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, files := range pkgs {
		for _, s := range wrappedSetTexts(files) {
			found = append(found, fmt.Sprintf("%s: %s.SetText", fset.Position(s.pos), s.label))
		}
	}
	if len(found) > 0 {
		sort.Strings(found)
		t.Errorf("word-wrapped labels given a text after they were laid out, cut to their old height (use kit.SetWrapped, kit.ShowWrapped or a kit.Message):\n%s",
			strings.Join(found, "\n"))
	}
}

// wrappedSet is one l.SetText on a word-wrapped label.
type wrappedSet struct {
	label string
	pos   token.Pos
}

// wrappedSetTexts are the SetText calls in a package's files on
// word-wrapped labels (made by kit.StatusLabel, Wrapped, LowLabel,
// TitleHeading, or a widget label given Wrapping) outside the code that
// made them: in a function literal (a callback) or another function. A
// local is known in its function, a field by its type and name (the type
// of a method's receiver, a parameter's, a local made by &T{…}).
func wrappedSetTexts(files []*ast.File) []wrappedSet {
	var fns []*ast.FuncDecl
	for _, f := range files {
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Body != nil {
				fns = append(fns, fn)
			}
		}
	}
	wrapsBy := map[string]bool{"StatusLabel": true, "Wrapped": true, "LowLabel": true, "TitleHeading": true}
	made := map[string]*ast.FuncDecl{} // wrapped label → the function making it
	labels := map[string]*ast.FuncDecl{}
	wrapped := map[string]bool{} // given Wrapping
	note := func(key string, fn *ast.FuncDecl, rhs ast.Expr) {
		c, ok := rhs.(*ast.CallExpr)
		if !ok || key == "" {
			return
		}
		switch pkg, name := selectorOf(c.Fun); {
		case pkg == "kit" && wrapsBy[name]:
			made[key] = fn
		case pkg == "widget" && (name == "NewLabel" || name == "NewLabelWithStyle"):
			labels[key] = fn
		}
	}
	for _, fn := range fns {
		types := typesIn(fn)
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.AssignStmt:
				if len(x.Lhs) == len(x.Rhs) {
					for i := range x.Lhs {
						note(labelKey(fn, types, x.Lhs[i]), fn, x.Rhs[i])
					}
				}
				if len(x.Lhs) == 1 && len(x.Rhs) == 1 {
					if sel, ok := x.Lhs[0].(*ast.SelectorExpr); ok && sel.Sel.Name == "Wrapping" {
						if pkg, name := selectorOf(x.Rhs[0]); pkg == "fyne" && (name == "TextWrapWord" || name == "TextWrapBreak") {
							wrapped[labelKey(fn, types, sel.X)] = true
						}
					}
				}
			case *ast.CompositeLit:
				if t, ok := x.Type.(*ast.Ident); ok {
					for _, e := range x.Elts {
						if kv, ok := e.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok {
								note(t.Name+"."+k.Name, fn, kv.Value)
							}
						}
					}
				}
			}
			return true
		})
	}
	for k, fn := range labels {
		if wrapped[k] {
			made[k] = fn
		}
	}
	var out []wrappedSet
	for _, fn := range fns {
		types := typesIn(fn)
		var lits, relaid []*ast.FuncLit // relaid: the change given kit.Relaid
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncLit:
				lits = append(lits, x)
			case *ast.CallExpr:
				if _, name := selectorOf(x.Fun); name == "Relaid" || exprText(x.Fun) == "Relaid" {
					for _, a := range x.Args {
						if l, ok := a.(*ast.FuncLit); ok {
							relaid = append(relaid, l)
						}
					}
				}
			}
			return true
		})
		within := func(ls []*ast.FuncLit, p token.Pos) bool {
			for _, l := range ls {
				if l.Pos() <= p && p < l.End() {
					return true
				}
			}
			return false
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if sel, ok := c.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "SetText" && !within(relaid, c.Pos()) {
				if maker, ok := made[labelKey(fn, types, sel.X)]; ok && (maker != fn || within(lits, c.Pos())) {
					out = append(out, wrappedSet{label: exprText(sel.X), pos: c.Pos()})
				}
			}
			return true
		})
	}
	return out
}

// typesIn are the type names of fn's receiver, parameters and the locals
// it makes by &T{…} or T{…}.
func typesIn(fn *ast.FuncDecl) map[string]string {
	types := map[string]string{}
	typeName := func(e ast.Expr) string {
		if st, ok := e.(*ast.StarExpr); ok {
			e = st.X
		}
		if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
			e = u.X
		}
		if cl, ok := e.(*ast.CompositeLit); ok {
			e = cl.Type
		}
		if id, ok := e.(*ast.Ident); ok {
			return id.Name
		}
		return ""
	}
	var fields []*ast.Field
	if fn.Recv != nil {
		fields = append(fields, fn.Recv.List...)
	}
	fields = append(fields, fn.Type.Params.List...)
	for _, f := range fields {
		for _, n := range f.Names {
			types[n.Name] = typeName(f.Type)
		}
	}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if a, ok := n.(*ast.AssignStmt); ok && len(a.Lhs) == len(a.Rhs) {
			for i, l := range a.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					if t := typeName(a.Rhs[i]); t != "" {
						types[id.Name] = t
					}
				}
			}
		}
		return true
	})
	return types
}

// labelKey names a label in its package: a local by its function and
// name, a field by its holder's type and its name ("?" for a type not
// known).
func labelKey(fn *ast.FuncDecl, types map[string]string, e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return fn.Name.Name + "/" + x.Name
	case *ast.SelectorExpr:
		t := "?"
		if id, ok := x.X.(*ast.Ident); ok && types[id.Name] != "" {
			t = types[id.Name]
		}
		return t + "." + x.Sel.Name
	}
	return ""
}

// selectorOf is pkg.Name of e, or "", "".
func selectorOf(e ast.Expr) (pkg, name string) {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return "", ""
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return "", ""
	}
	return id.Name, sel.Sel.Name
}

// exprText is e as written (a.b.c).
func exprText(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return exprText(x.X) + "." + x.Sel.Name
	}
	return "?"
}
