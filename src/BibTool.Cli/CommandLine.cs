using System.CommandLine;
using System.CommandLine.Help;

namespace BibTool.Cli;

/// <summary>
/// Every command and option declared once (System.CommandLine): the parser, the help each
/// command prints and the shell completions all come from here. A parsed command line is handed
/// to the commands as <see cref="Arguments"/> (values by the option's name).
/// </summary>
public static class CommandLine
{
    // Every value option takes one value per occurrence and may be given again: a repeatable one
    // (--where, --only, …) gathers them, a single one takes the last (an alias can set a default that
    // the command line overrides).
    private static Option<string[]> Value(string name, string placeholder, string description, params string[] aliases) =>
        new(name, aliases) { Description = description, HelpName = placeholder, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };

    private static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    private static Option<string[]> Format(string description, params string[] formats)
    {
        // The values are checked by the command (its message names them); completion offers them.
        var option = Value("--format", string.Join('|', formats), description);
        option.CompletionSources.Add(formats);
        return option;
    }

    private static Option<string[]> Output() => Value("--output", "FILE", "write to FILE (atomically: a temporary file, then renamed) instead of stdout", "-o");

    /// <param name="resolvedFields">Whether --where may name resolved fields (list and export read the store; resolve, refresh and check select rows before resolving).</param>
    private static Option[] Filters(string what, bool resolvedFields) =>
    [
        Value("--category", "TEXT", $"{what} whose ## heading contains TEXT (repeatable: any of them)"),
        Value("--table", "TEXT", $"{what} whose ### heading contains TEXT (repeatable: any of them)"),
        Value("--name", "TEXT", $"{what} whose name contains TEXT (repeatable: any of them)"),
        Value("--where", "EXPR", "FIELD=VALUE, FIELD!=VALUE, FIELD~TEXT (contains), FIELD!~TEXT, FIELD>=N, <=, >, <; on survey columns " +
            "(subfield, base, …; quote a name with spaces: '\"Pre-Training Data\"~MIMIC') or inventory fields (id_type, …)" +
            (resolvedFields ? " or resolved fields (year, type, venue, title, author, publisher, doi, …)" : "") +
            "; case-insensitive; repeatable, all must hold"),
    ];

    private static Option[] Store() =>
    [
        Value("--cache", "DIR", "the metadata store (default ./cache, or BIBTOOL_CACHE)"),
        Value("--config", "FILE", "JSON config (default ./bibtool.json if present)"),
    ];

    private static Option[] Network(string offline = "never touch the network: use the store alone and report what it lacks") =>
    [
        Flag("--offline", offline),
        Flag("--quiet", "no progress output"),
        Value("--mailto", "EMAIL", "join Crossref's polite pool (or BIBTOOL_MAILTO, or the config file)"),
        // Each source's own settings, as the source declares them (the registry's order).
        .. BibTool.Resolve.BibToolSettings.SourceSettings.Select(s => Value(s.Option, s.Placeholder,
            s.Description + (s.Default is null ? "" : $" (default {s.Default})") + $" (or {s.Variable})")),
        Value("--timeout", "SECONDS", "deadline of one attempt, from its admission, before a retry (default 30; a request with its retries gets twice this)"),
        Value("--wait", "SECONDS", "how long to wait for another bibtool process to release the store (default 30; export 60; 0: fail at once)"),
    ];

    private static Command Command(string name, string description, string inputs, string inputsHelp, params IEnumerable<Option>[] options)
    {
        var command = new Command(name, description);
        command.Arguments.Add(new Argument<string[]>(inputs) { Description = inputsHelp, Arity = ArgumentArity.ZeroOrMore });
        foreach (var option in options.SelectMany(o => o)) command.Options.Add(option);
        return command;
    }

    /// <summary>The whole command line: bibtool, its seven commands and the completion scripts.</summary>
    public static RootCommand Root { get; } = Build();

    private static RootCommand Build()
    {
        var root = new RootCommand("bibtool turns a Markdown survey's tables of papers into a bibliography: it identifies each paper, " +
            "resolves it through the metadata source that knows it into a plain-file store (cache/), and writes BibTeX, BibLaTeX, RIS, " +
            "CSL-JSON or CSV. See README.md.");
        // --version is answered before parsing, as "bibtool VERSION".
        foreach (var version in root.Options.OfType<VersionOption>().ToList()) root.Options.Remove(version);

        root.Subcommands.Add(Command("list",
            "Print the survey's rows with their identifiers (table, csv or json); a summary line goes to stderr. " +
            "list never uses the network. With --all: every work the store resolves, no survey.",
            "SURVEY.md", "the survey (none with --all)",
            [Format("table (default) for reading, csv (CsvHelper) for spreadsheets, json for scripts", "table", "csv", "json"), Output(),
             Flag("--all", "every work the store resolves, no survey: key, id, type, year, title, first author, venue, source")],
            Store(), Filters("rows", resolvedFields: true)));

        root.Subcommands.Add(Command("resolve",
            "Fetch metadata for every work (DOI, arXiv, PMID, PMCID, OpenReview, landing page) into the store. " +
            "Exit codes: 0 all resolved, 1 some works not resolved (the rest is stored), 2 bad input, 3 store error.",
            "SURVEY.md", "the survey",
            [Flag("--refresh", "fetch every work again and print what changed (page numbers, published versions, retractions)"),
             Value("--max-age", "AGE", "fetch again what was fetched longer ago than AGE (30d, 12h, 90m); the rest is read from the store (not with --refresh)")],
            Store(), Network(), Filters("rows", resolvedFields: false)));

        root.Subcommands.Add(Command("refresh",
            "Fetch stored works again (all, older than an age, or named) and report what changed, field by field; a record is " +
            "replaced only by a complete new one. With a .bib, .ris or CSL-JSON .json file: every entry's doi, eprint (arXiv), pmid " +
            "or url is resolved through the same sources and store, and a field bibtool manages (title, author, journal, booktitle, " +
            "year, month, date, volume, number, pages, doi) is rewritten only where its meaning differs, or added where the entry " +
            "lacks it; every other byte stays, the original is kept as FILE.bak. " +
            "Exit codes: 0 every refreshed work resolved, 1 some did not (their old records stay), 2 bad input, 3 store error.",
            "SURVEY.md|REFS.bib|REFS.ris|REFS.json", "the survey, or your own bibliography file",
            [Value("--older-than", "AGE", "fetch again only records fetched longer ago than AGE (30d, 12h, 90m); default: every record"),
             Value("--only", "ID", "fetch again only this work (doi:…, arxiv:…, a DOI, an arXiv id or a link); repeat or comma-separate"),
             Format("the report on stdout: per work, per field, old and new value (default text)", "text", "json"),
             Flag("--dry-run", "with a bibliography file: print the changes and write nothing"),
             Value("--macros", "FILE.bib", "with a .bib file: read @string definitions from this companion file too (repeatable); the file's own definitions win")],
            Store(), Network(offline: "with a bibliography file: compare it with the store alone, fetching nothing (a survey refresh always fetches)"),
            Filters("survey rows (not with a bibliography file, which is refreshed entry by entry)", resolvedFields: false)));

        root.Subcommands.Add(Command("export",
            "Write BibTeX, BibLaTeX, RIS, CSL-JSON or CSV for the survey or a subset; with --all, for the whole store.",
            "SURVEY.md", "the survey (none with --all)",
            [Format("the bibliography format (required)", "bibtex", "biblatex", "ris", "csljson", "csv"), Output(),
             Flag("--strict", "works that could not be resolved are an error (exit 1, nothing written)"),
             Flag("--prefer-published", "a preprint whose record names its journal version (arXiv's doi, Crossref's is-preprint-of, " +
                 "or a title and first-author search) is written as that version, keeping its key and its eprint id"),
             Flag("--all", "every work the store resolves, no survey (filters: --where on resolved fields)"),
             Value("--cited", "FILE", "only the works a manuscript cites (repeatable): LaTeX .tex, .aux (bibtex or biblatex), biber's .bcf, or " +
                 "pandoc Markdown; keys match pinned keys and their aliases; an unknown key is a warning (an error with --strict)"),
             Value("--key-pattern", "P", "citation key pattern (default {author}{year}{title}; tokens {author}, {authors2}, {year}, " +
                 "{title}, {title2}, {name}); pinned keys never change")],
            Store(), Network(), Filters("rows", resolvedFields: true)));

        root.Subcommands.Add(Command("check",
            "Audit the survey. Problems (exit 1): a link whose text names another paper, an identifier no source knows, a row not " +
            "resolved, a retracted or withdrawn work or one under an expression of concern, a link to a notice instead of its paper, " +
            "one paper under two identifiers. Notes (exit 0): corrected works, new versions, preprints with a published version, " +
            "rows that name no paper.",
            "SURVEY.md", "the survey",
            [Format("findings for people (default), for scripts (json), or as GitHub Actions annotations on the survey's lines (github)", "text", "json", "github")],
            Store(), Network(), Filters("rows", resolvedFields: false)));

        root.Subcommands.Add(Command("fix",
            "Write what check finds back into the survey; each kind only when asked. Only the changed cells' bytes change, " +
            "the original is kept as SURVEY.md.bak and the new file written atomically; a second run changes nothing.",
            "SURVEY.md", "the survey",
            [Flag("--published", "a preprint whose published version is known: its link becomes the DOI link"),
             Flag("--mark-retracted", "a retracted work: its paper cell says so after the link"),
             Flag("--canonical-links", "a publisher link that carries a DOI becomes https://doi.org/DOI"),
             Value("--add-columns", "COLUMNS", "add these columns to every table, filled from the resolved works: venue, year, key (comma-separated)"),
             Flag("--dry-run", "print a unified diff of what would change and write nothing")],
            Store(), Network(), Filters("rows", resolvedFields: false)));

        root.Subcommands.Add(Command("report",
            "Write the survey as one static HTML page, DIR/index.html: every row by category and table with its citation and links, " +
            "search and filters (category, year, venue, type), copy-as-BibTeX, check's findings, and charts of works per year and " +
            "top venues. It needs no server and loads nothing from the network.",
            "SURVEY.md", "the survey",
            [Value("--output", "DIR", "the folder that gets index.html (created if missing; the page is written atomically)", "-o")],
            Store(), Network(), Filters("rows", resolvedFields: false)));

        var completion = new Command("completion", "Print a shell completion script: eval \"$(bibtool completion bash)\" in ~/.bashrc " +
            "(zsh likewise; fish: bibtool completion fish | source). Commands, options and --format values then complete with Tab.");
        var shell = new Argument<string[]>("SHELL") { Description = "bash, zsh or fish", Arity = ArgumentArity.ZeroOrMore };
        shell.CompletionSources.Add(Commands.CompletionCommand.Shells);
        completion.Arguments.Add(shell);
        root.Subcommands.Add(completion);
        // Listed in the overview; answered before parsing (Cli.RunAsync) as "bibtool VERSION".
        root.Options.Add(new Option<bool>("--version") { Description = "print bibtool's version" });
        return root;
    }

    /// <summary>What a parse gave: a command to run with its arguments, help printed, or a usage error.</summary>
    public sealed record Parsed(string? Command, Arguments? Arguments, bool HelpShown);

    public static Parsed Parse(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var result = Root.Parse(args);
        // Help, or "[suggest:N]" (the completion scripts' request): the parser's own action prints it.
        var suggest = args.Length > 0 && args[0].StartsWith("[suggest", StringComparison.Ordinal) && result.Action is not null;
        if (suggest || result.Action is HelpAction)
        {
            result.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
            return new Parsed(null, null, HelpShown: true);
        }
        var command = result.CommandResult.Command;
        if (command is RootCommand) throw new UsageException($"unknown command '{args[0]}' (try list, resolve, refresh, export, check, fix, report or completion)");
        if (result.Errors.Count > 0) throw new UsageException(Describe(result.Errors[0].Message));
        // The survey argument takes any word: one that looks like an option (before a "--") is a typo, not a file.
        foreach (var token in result.Tokens)
        {
            if (token.Type == System.CommandLine.Parsing.TokenType.DoubleDash) break;
            if (token.Type == System.CommandLine.Parsing.TokenType.Argument && token.Value.Length > 1 && token.Value[0] == '-' && IsPositional(result, token.Value))
                throw new UsageException($"unknown option {token.Value.Split('=')[0]}");
        }
        var arguments = new Arguments();
        foreach (var argument in command.Arguments.OfType<Argument<string[]>>())
            arguments.Positional.AddRange(result.GetValue(argument) ?? []);
        foreach (var option in command.Options)
        {
            if (result.GetResult(option) is null) continue;
            switch (option)
            {
                case Option<bool> flag when result.GetValue(flag): arguments.SetFlag(option.Name); break;
                case Option<string[]> many: foreach (var value in result.GetValue(many) ?? []) arguments.Add(option.Name, value); break;
            }
        }
        return new Parsed(command.Name, arguments, HelpShown: false);
    }

    private static bool IsPositional(ParseResult result, string value) =>
        result.CommandResult.Command.Arguments.OfType<Argument<string[]>>().Any(a => (result.GetValue(a) ?? []).Contains(value));

    /// <summary>The parser's message in bibtool's words where the tests and the README name them.</summary>
    private static string Describe(string message)
    {
        const string unrecognized = "Unrecognized command or argument '";
        if (message.StartsWith(unrecognized, StringComparison.Ordinal))
        {
            var token = message[unrecognized.Length..].TrimEnd('.').TrimEnd('\'');
            return token.StartsWith('-') ? $"unknown option {token}" : $"unexpected argument '{token}'";
        }
        const string missing = "Required argument missing for option: '";
        if (message.StartsWith(missing, StringComparison.Ordinal))
            return $"option {message[missing.Length..].TrimEnd('.').TrimEnd('\'')} needs a value";
        return char.ToLowerInvariant(message[0]) + message[1..].TrimEnd('.');
    }
}
