using System.Diagnostics;
using System.Text.Json.Nodes;
using Json.Schema;

namespace BibTool.Tests.Support;

public sealed record ToolRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// The tools users feed bibliographies to, run for real (Debian packages installed by .ci/run):
/// bibtex with a standard style, biber, bibutils, pandoc with citeproc, and the CSL-JSON schema.
/// </summary>
public static class Validators
{
    public static ToolRun Run(string exe, IEnumerable<string> args, string directory, string? stdin = null, TimeSpan? limit = null, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(exe, args)
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true,
            RedirectStandardInput = stdin is not null, UseShellExecute = false,
        };
        start.Environment["LC_ALL"] = "C.UTF-8";
        foreach (var (name, value) in environment ?? []) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {exe}");
        if (stdin is not null) { process.StandardInput.Write(stdin); process.StandardInput.Close(); }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit ?? TimeSpan.FromMinutes(2))) { process.Kill(true); throw new TimeoutException($"{exe} did not finish"); }
        return new ToolRun(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// bibtex with plain.bst over every entry, then pdflatex over the .bbl (a LaTeX error fails the
    /// test); returns bibtex's log and the number of \bibitem in the .bbl.
    /// </summary>
    public static (ToolRun Run, string Log, int Items) Bibtex(string bibFile, string style = "plain")
    {
        var directory = Path.GetDirectoryName(bibFile)!;
        var name = Path.GetFileNameWithoutExtension(bibFile);
        File.WriteAllText(Path.Combine(directory, name + ".aux"), $"\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{{name}}}\n");
        var run = Run("bibtex", [name], directory);
        var log = File.Exists(Path.Combine(directory, name + ".blg")) ? File.ReadAllText(Path.Combine(directory, name + ".blg")) : "";
        var bbl = Path.Combine(directory, name + ".bbl");
        var items = File.Exists(bbl) ? File.ReadAllLines(bbl).Count(l => l.StartsWith("\\bibitem")) : 0;
        if (items > 0)
        {
            // Every bibliography a test formats is typeset too: a LaTeX error is a broken bibliography.
            var (latex, latexLog) = Typeset(bbl);
            if (LatexErrors(latexLog).FirstOrDefault() is { } error)
                Assert.Fail($"pdflatex cannot typeset {bbl} ({style}): {error}");
            if (latex.ExitCode != 0 && !latexLog.Contains("\n! ", StringComparison.Ordinal))
                Assert.Fail($"pdflatex failed on {bbl} ({style}): {latex}");
        }
        return (run, log, items);
    }

    /// <summary>
    /// Typesets a .bbl with pdflatex in the plainest document (no packages), as a user's paper
    /// would include it; returns the run and pdflatex's log. Any "! " line in the log is a LaTeX error.
    /// </summary>
    public static (ToolRun Run, string Log) Typeset(string bblFile)
    {
        var directory = Path.GetDirectoryName(bblFile)!;
        var name = Path.GetFileNameWithoutExtension(bblFile) + "-typeset";
        File.WriteAllText(Path.Combine(directory, name + ".tex"),
            $"\\documentclass{{article}}\n\\begin{{document}}\n\\input{{{Path.GetFileName(bblFile)}}}\n\\end{{document}}\n");
        var run = Run("pdflatex", ["-interaction=nonstopmode", "-no-shell-escape", name + ".tex"], directory);
        var log = Path.Combine(directory, name + ".log");
        return (run, File.Exists(log) ? File.ReadAllText(log) : "");
    }

    /// <summary>
    /// The errors in a pdflatex log, except a character of a script or symbol set LaTeX's default
    /// fonts do not have (CJK, Arabic, emoji …): bibtool keeps such text as written, for XeLaTeX,
    /// LuaLaTeX or the CJK package; punctuation, Latin, Greek and Cyrillic must typeset everywhere.
    /// </summary>
    public static IEnumerable<string> LatexErrors(string log)
    {
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(log, @"\n! (.*)"))
        {
            var unicode = System.Text.RegularExpressions.Regex.Match(m.Groups[1].Value, @"Unicode character .* \(U\+([0-9A-F]+)\)");
            if (unicode.Success)
            {
                var code = Convert.ToInt32(unicode.Groups[1].Value, 16);
                var text = char.ConvertFromUtf32(code);
                var category = System.Globalization.CharUnicodeInfo.GetUnicodeCategory(text, 0);
                var beyondLatexFonts = code >= 0x0530 && code is not (>= 0x1E00 and <= 0x1FFF) && code is not (>= 0x2000 and <= 0x206F)
                    && category is System.Globalization.UnicodeCategory.OtherLetter or System.Globalization.UnicodeCategory.OtherSymbol
                        or System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark
                        or System.Globalization.UnicodeCategory.LowercaseLetter or System.Globalization.UnicodeCategory.UppercaseLetter
                        or System.Globalization.UnicodeCategory.MathSymbol or System.Globalization.UnicodeCategory.OtherNumber
                        or System.Globalization.UnicodeCategory.ModifierLetter or System.Globalization.UnicodeCategory.OtherPunctuation;
                if (beyondLatexFonts) continue;
            }
            var at = m.Index + 1;
            yield return log[at..Math.Min(log.Length, at + 400)];
        }
    }

    /// <summary>biber in tool mode (no LaTeX run needed), optionally validating against biblatex's data model.</summary>
    public static (ToolRun Run, int Entries) Biber(string bibFile, bool validateDataModel)
    {
        var directory = Path.GetDirectoryName(bibFile)!;
        var output = Path.Combine(directory, "biber-out.bib");
        List<string> args = ["--tool", "--output-file", output, "--nolog"];
        if (validateDataModel) args.Add("--validate-datamodel");
        args.Add(bibFile);
        var run = Run("biber", args, directory);
        var entries = File.Exists(output) ? File.ReadAllLines(output).Count(l => l.StartsWith('@')) : 0;
        return (run, entries);
    }

    /// <summary>bibutils (bib2xml, ris2xml): the MODS records it reads back.</summary>
    public static (ToolRun Run, int Records) Bibutils(string tool, string file)
    {
        var run = Run(tool, [file], Path.GetDirectoryName(file)!);
        var records = run.Stdout.Split("<mods ").Length - 1;
        return (run, records);
    }

    /// <summary>pandoc --citeproc renders every entry of a bibliography (nocite @*) to HTML.</summary>
    public static (ToolRun Run, int Entries) Pandoc(string bibliography)
    {
        var directory = Path.GetDirectoryName(bibliography)!;
        var run = Run("pandoc", ["--citeproc", "--bibliography", bibliography, "-f", "markdown", "-t", "html"], directory, stdin: "---\nnocite: \"@*\"\n---\nText.\n");
        var entries = run.Stdout.Split("class=\"csl-entry\"").Length - 1;
        return (run, entries);
    }

    private static readonly Lazy<JsonSchema> CslSchema = new(() => JsonSchema.FromFile(Path.Combine(TestPaths.Schemas, "csl-data.json")));

    public static EvaluationResults CslJson(string file) =>
        CslSchema.Value.Evaluate(System.Text.Json.JsonDocument.Parse(File.ReadAllText(file)).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

    public static string Describe(EvaluationResults results) =>
        string.Join("\n", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .Take(20).Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}"));
}
