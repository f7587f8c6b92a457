// Command traindigits trains the house-number recogniser and writes
// maps/trace/digits/weights.bin with weights.txt saying where it came
// from. Run by `make train-digits`; the same fonts and flags give the same
// bytes.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"cunjing/maps/trace/digits"
	"cunjing/maps/trace/digits/train"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "traindigits:", err)
		os.Exit(1)
	}
}

func runDiagnose(ctx context.Context, seedRange, weights, font string) error {
	var lo, hi int64
	if _, err := fmt.Sscanf(seedRange, "%d-%d", &lo, &hi); err != nil || lo > hi || hi-lo > 1000 {
		return fmt.Errorf("-diagnose %q: want seeds as FIRST-LAST, e.g. 101-105", seedRange)
	}
	m, err := digits.Embedded()
	if weights == "none" {
		m, err = nil, nil
	} else if weights != "" {
		raw, rerr := os.ReadFile(weights)
		if rerr != nil {
			return rerr
		}
		m, err = digits.Decode(raw)
	}
	if err != nil {
		return err
	}
	var seeds []int64
	for s := lo; s <= hi; s++ {
		seeds = append(seeds, s)
	}
	b, err := train.Diagnose(ctx, m, seeds, []string{font})
	if err != nil {
		return err
	}
	fmt.Printf("sheets %s, font %s:\n", seedRange, font)
	b.Write(os.Stdout)
	return nil
}

func run() error {
	seed := flag.Uint64("seed", 23, "seed of the rendering and the training")
	numbers := flag.Int("numbers", 25000, "numbers rendered alone for training")
	sheets := flag.Int("sheets", 60, "village sheets drawn and traced for training (seeds 1000 on)")
	epochs := flag.Int("epochs", 10, "passes over the samples")
	augment := flag.Float64("augment", 0, "share of samples distorted afresh each epoch")
	handShare := flag.Float64("hand", 0, "share of the rendered numbers drawn by the stroke hand (flat-topped 3s, open 4s, …) instead of a font")
	overCut := flag.Float64("overcut", train.DefaultOverCut, "least character width (of the line's height) of the over-cut Reject samples")
	c1 := flag.Int("c1", 16, "maps of the first convolution")
	c2 := flag.Int("c2", 32, "maps of the second convolution")
	hidden := flag.Int("hidden", 128, "dense layer size")
	batch := flag.Int("batch", 32, "samples a step")
	rate := flag.Float64("rate", 0.002, "Adam's initial step size")
	validate := flag.String("validate", "", "for tuning: a font left out of training and measured on, on sheets of seeds 201–203")
	out := flag.String("out", "maps/trace/digits/weights.bin", "weights file to write")
	diagnose := flag.String("diagnose", "", "no training: break down where the numbers of sheets of these seeds (101-105) in the -font are lost, read with the -weights")
	weights := flag.String("weights", "", "with -diagnose: weights file to read with (default: the embedded ones; none: the segmentation only)")
	fontPath := flag.String("font", train.HeldOut, "with -diagnose: the font the sheets' numbers are written in")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *diagnose != "" {
		return runDiagnose(ctx, *diagnose, *weights, *fontPath)
	}
	paths, hand := train.Fonts, train.Handwriting
	if *validate != "" {
		paths = slices.DeleteFunc(slices.Clone(paths), func(p string) bool { return p == *validate })
		hand = slices.DeleteFunc(slices.Clone(hand), func(p string) bool { return p == *validate })
	}
	fonts, err := train.LoadFonts(paths)
	if err != nil {
		return err
	}
	held, err := train.LoadFonts([]string{train.HeldOut})
	if err != nil {
		return err
	}
	var report strings.Builder
	log := io.MultiWriter(os.Stderr, &report)
	start := time.Now()
	rng := rand.New(rand.NewPCG(*seed, 0x72656e64))
	samples, cut, err := train.SamplesWithHand(rng, fonts, *numbers, *handShare, *overCut)
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "rendered %d numbers with %d fonts and the stroke hand (%.0f%%; seed %d): %d cut into the right characters, %d digit samples\n", *numbers, len(fonts), 100**handShare, *seed, cut, len(samples))
	var seeds []int64
	for i := range *sheets {
		seeds = append(seeds, 1000+int64(i))
	}
	ss, found, right, err := train.SheetSamples(ctx, seeds, hand, *overCut)
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "traced %d sheets (seeds 1000–%d, %d handwriting fonts): %d houses found, %d numbers cut right, %d digit samples\n", *sheets, 999+*sheets, len(hand), found, right, len(ss))
	samples = append(samples, ss...)
	cfg := train.Config{Seed: *seed, C1: *c1, C2: *c2, Hidden: *hidden, Epochs: *epochs, Augment: *augment, Rate: float32(*rate), Batch: *batch, Log: log}
	fmt.Fprintf(os.Stderr, "samples drawn in %s\n", time.Since(start).Round(time.Second))
	fitStart := time.Now()
	m, err := train.Fit(ctx, cfg, samples)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "trained in %s\n", time.Since(fitStart).Round(time.Second))
	// measured on fonts and seeds apart from training
	hrng := rand.New(rand.NewPCG(*seed+1000, 0x68656c64))
	hs, hcut, err := train.Samples(hrng, held, 3000)
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "training-font digits right: %.2f%%\n", 100*train.Accuracy(m, samples))
	fmt.Fprintf(log, "held-out font %s: 3000 numbers, %d cut right, digits right %.2f%% of %d\n", train.HeldOut, hcut, 100*train.Accuracy(m, hs), len(hs))
	if *validate != "" {
		found, exact, err := train.SheetExact(ctx, m, []int64{201, 202, 203}, []string{*validate})
		if err != nil {
			return err
		}
		fmt.Fprintf(log, "validation font %s, sheets 201–203: %d of %d numbers exact (%.1f%%)\n", *validate, exact, found, 100*float64(exact)/float64(found))
	}
	raw, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	if _, err := digits.Decode(raw); err != nil {
		return fmt.Errorf("written weights do not read back: %w", err)
	}
	if err := os.WriteFile(*out, raw, 0o644); err != nil {
		return err
	}
	var prov strings.Builder
	fmt.Fprintf(&prov, "weights.bin: the house-number recogniser's network, convolutions of %d and %d maps, dense %d, %d bytes.\n", m.C1, m.C2, m.Hidden, len(raw))
	fmt.Fprintf(&prov, "Made by `make train-digits` (go run ./maps/trace/digits/cmd/traindigits -seed %d -numbers %d -sheets %d -epochs %d -augment %g -hand %g -overcut %g -c1 %d -c2 %d -hidden %d -batch %d -rate %g) in %s (2 training goroutines).\n", *seed, *numbers, *sheets, *epochs, *augment, *handShare, *overCut, *c1, *c2, *hidden, *batch, *rate, time.Since(start).Round(time.Second))
	fmt.Fprintf(&prov, "Training fonts (Debian packages %s):\n", train.FontPackages)
	for _, f := range fonts {
		fmt.Fprintf(&prov, "  %s\n", f.Path)
	}
	fmt.Fprintf(&prov, "Held out (never trained on; measuring only): %s (fonts-dkg-handwriting)\n\n%s", train.HeldOut, report.String())
	txt := strings.TrimSuffix(*out, ".bin") + ".txt"
	return os.WriteFile(txt, []byte(prov.String()), 0o644)
}
