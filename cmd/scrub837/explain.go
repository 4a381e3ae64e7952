package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/scrub837/scrub837/scrubber/pack"
	"github.com/scrub837/scrub837/scrubber/rules"
)

// explainCommand prints what a rule checks, its severity and source in the
// effective pack, and the pack entries it compares against.
func (e *env) explainCommand(args []string) int {
	fs, seedOnly, rulesFile, help := packFlagSet("scrub837 explain", "explain the rule as --seed-only applies it")
	if code, done := e.parseSubcommand(fs, help, args, "Usage: scrub837 explain RULE-ID [--seed-only] [--rules FILE]\n\n"+
		"Prints what the rule checks, its severity and source in the effective rule pack, and the pack entries\nit compares against."); done {
		return code
	}
	if fs.NArg() != 1 {
		return e.usageError(fmt.Errorf("explain takes one RULE-ID (see scrubber/RULES.md), got %d arguments", fs.NArg()))
	}
	name := strings.ToUpper(strings.TrimSpace(fs.Arg(0)))
	id, ok := rules.Lookup(name)
	if !ok {
		return e.usageError(fmt.Errorf("no rule %q; the rules are: %s", fs.Arg(0), ruleNames()))
	}
	return e.printFromPack(*rulesFile, *seedOnly, func(p *pack.Pack) (string, error) { return explainRule(id, p) })
}

// ruleNames lists the catalogue's rule IDs.
func ruleNames() string {
	var names []string
	for _, r := range rules.All() {
		names = append(names, r.ID.String())
	}
	return strings.Join(names, ", ")
}

// explainRule is the explanation of rule id as pack p applies it.
func explainRule(id rules.ID, p *pack.Pack) (string, error) {
	r := id.Rule()
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s.\n", id, r.Checks)
	packName := p.Name + " " + p.Version
	if p.SeedOnly {
		packName += " (seed only)"
	}
	switch entry, on := p.Rule(id); {
	case r.Data != "":
		fmt.Fprintf(&b, "Severity: %s. Source: %s. On when --data (or SCRUB837_DATA) loads the %s files it reads, whatever the pack; scrubber/codedata/DATA.md says which files and how each applies by date of service.\n",
			r.Severity, r.Data, strings.ToUpper(r.Data))
	case r.History:
		fmt.Fprintf(&b, "Severity: %s. Built in: on with --history (or SCRUB837_HISTORY), which it compares the night's claims with; not configured in a pack. cmd/scrub837/REPORTS.md, \"History\", says what the history keeps.\n", r.Severity)
	case r.Builtin:
		fmt.Fprintf(&b, "Severity: %s. Built in: always on, not configured in a pack.\n", r.Severity)
	case !on:
		fmt.Fprintf(&b, "Off: the pack %s does not list it (default severity %s).\n", packName, r.Severity)
	default:
		fmt.Fprintf(&b, "Severity: %s", entry.Severity)
		if len(entry.Cases) > 0 {
			var cases []string
			for c, s := range entry.Cases {
				cases = append(cases, fmt.Sprintf("%s when %s", s, c))
			}
			sort.Strings(cases)
			fmt.Fprintf(&b, " (%s)", strings.Join(cases, ", "))
		}
		fmt.Fprintf(&b, ". Source: %s (%s). Pack: %s.\n", entry.Source, sourceMeaning(string(entry.Source)), packName)
	}
	sections, err := packSections(p, r.PackLists)
	if err != nil {
		return "", err
	}
	if len(sections) == 0 {
		b.WriteString("It compares against no list of the pack.\n")
	} else {
		fmt.Fprintf(&b, "It compares against these entries of the pack (scrub837 rules prints the whole pack):\n\n")
		b.WriteString(sections)
	}
	b.WriteString("The full catalogue, with when each rule fires: scrubber/RULES.md.\n")
	return b.String(), nil
}

func sourceMeaning(source string) string {
	switch source {
	case "seed":
		return "the customer's seed document"
	case "codeset":
		return "a public code set; --seed-only turns it off"
	}
	return "as the pack says"
}

// packSections is the named top-level sections of p's effective YAML, as
// YAML, in the order asked; sections p does not have are left out.
func packSections(p *pack.Pack, names []string) (string, error) {
	if len(names) == 0 {
		return "", nil
	}
	data, err := p.EffectiveYAML()
	if err != nil {
		return "", err
	}
	var doc yaml.MapSlice
	if err := yaml.UnmarshalWithOptions(data, &doc, yaml.UseOrderedMap()); err != nil {
		return "", err
	}
	var b strings.Builder
	for _, name := range names {
		for _, item := range doc {
			if item.Key != name {
				continue
			}
			out, err := yaml.MarshalWithOptions(yaml.MapSlice{item}, yaml.IndentSequence(true))
			if err != nil {
				return "", err
			}
			if n, ok := item.Value.([]any); ok {
				fmt.Fprintf(&b, "# %s: %s\n", name, plural(len(n), "entry", "entries"))
			}
			b.Write(out)
			b.WriteString("\n")
		}
	}
	return b.String(), nil
}
