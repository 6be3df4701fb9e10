using System.Text;
using BibTool.Model;

namespace BibTool.Store;

/// <summary>
/// A normalized work as compact bytes, for the derived index: every field of <see cref="Work"/>,
/// in a fixed order. Adding a field to Work means adding it here (a test fills every property of
/// a work by reflection and checks that it comes back).
/// </summary>
public static class WorkCodec
{
    public static byte[] Encode(Work work)
    {
        using var buffer = new MemoryStream(512);
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(work.Id);
            w.Write(work.Type);
            Text(w, work.Title);
            Names(w, work.Authors);
            Names(w, work.Editors);
            Date(w, work.Issued);
            foreach (var value in new[]
            {
                work.ContainerTitle, work.ContainerTitleShort, work.CollectionTitle, work.EventTitle, work.Volume, work.Issue, work.Page,
                work.ArticleNumber, work.Publisher, work.PublisherPlace, work.Doi, work.Url, work.Language, work.Genre, work.PublishedDoi,
                work.PublishedFoundBy, work.JournalReference, work.Note, work.Canonical, work.MatchedBy, work.Pmid, work.Pmcid,
                work.OpenReviewId, work.LandingUrl,
            })
                String(w, value);
            Strings(w, work.Issn);
            Strings(w, work.Isbn);
            Strings(w, work.Keywords);
            Text(w, work.Abstract);
            w.Write(work.Eprint is not null);
            if (work.Eprint is { } e)
            {
                w.Write(e.Server);
                w.Write(e.Id);
                String(w, e.Class);
                String(w, e.Version);
            }
            w.Write(work.IsPreprint);
            w.Write(work.IsResolved);
            Updates(w, work.UpdatedBy);
            Updates(w, work.UpdateTo);
            w.Write(work.Source);
            w.Write(work.Score is not null);
            if (work.Score is { } score) w.Write(score);
        }
        return buffer.ToArray();
    }

    public static Work Decode(byte[] bytes)
    {
        using var r = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
        var work = new Work { Id = r.ReadString(), Type = r.ReadString() };
        work.Title = Text(r);
        work.Authors.AddRange(Names(r));
        work.Editors.AddRange(Names(r));
        work.Issued = Date(r);
        work.ContainerTitle = String(r);
        work.ContainerTitleShort = String(r);
        work.CollectionTitle = String(r);
        work.EventTitle = String(r);
        work.Volume = String(r);
        work.Issue = String(r);
        work.Page = String(r);
        work.ArticleNumber = String(r);
        work.Publisher = String(r);
        work.PublisherPlace = String(r);
        work.Doi = String(r);
        work.Url = String(r);
        work.Language = String(r);
        work.Genre = String(r);
        work.PublishedDoi = String(r);
        work.PublishedFoundBy = String(r);
        work.JournalReference = String(r);
        work.Note = String(r);
        work.Canonical = String(r);
        work.MatchedBy = String(r);
        work.Pmid = String(r);
        work.Pmcid = String(r);
        work.OpenReviewId = String(r);
        work.LandingUrl = String(r);
        work.Issn.AddRange(Strings(r));
        work.Isbn.AddRange(Strings(r));
        work.Keywords.AddRange(Strings(r));
        work.Abstract = Text(r);
        if (r.ReadBoolean()) work.Eprint = new Eprint(r.ReadString(), r.ReadString(), String(r), String(r));
        work.IsPreprint = r.ReadBoolean();
        work.IsResolved = r.ReadBoolean();
        work.UpdatedBy.AddRange(Updates(r));
        work.UpdateTo.AddRange(Updates(r));
        work.Source = r.ReadString();
        if (r.ReadBoolean()) work.Score = r.ReadDouble();
        if (r.BaseStream.Position != bytes.Length) throw new InvalidDataException("trailing bytes after a work");
        return work;
    }

    private static void String(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null) w.Write(value);
    }

    private static string? String(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private static void Strings(BinaryWriter w, List<string> values)
    {
        w.Write7BitEncodedInt(values.Count);
        foreach (var value in values) w.Write(value);
    }

    private static IEnumerable<string> Strings(BinaryReader r)
    {
        var values = new string[r.Read7BitEncodedInt()];
        for (var i = 0; i < values.Length; i++) values[i] = r.ReadString();
        return values;
    }

    private static void Text(BinaryWriter w, RichText? text)
    {
        w.Write(text is not null);
        if (text is null) return;
        w.Write7BitEncodedInt(text.Runs.Count);
        foreach (var run in text.Runs)
        {
            w.Write(run.Text);
            w.Write7BitEncodedInt((int)run.Style);
        }
    }

    private static RichText? Text(BinaryReader r)
    {
        if (!r.ReadBoolean()) return null;
        var runs = new TextRun[r.Read7BitEncodedInt()];
        for (var i = 0; i < runs.Length; i++) runs[i] = new TextRun(r.ReadString(), (TextStyle)r.Read7BitEncodedInt());
        return runs.Length == 1 && runs[0].Style == TextStyle.None ? RichText.FromPlain(runs[0].Text) : new RichText(runs);
    }

    private static void Names(BinaryWriter w, List<Name> names)
    {
        w.Write7BitEncodedInt(names.Count);
        foreach (var name in names)
        {
            String(w, name.Family);
            String(w, name.Given);
            String(w, name.Literal);
            String(w, name.Suffix);
            String(w, name.NonDroppingParticle);
        }
    }

    private static IEnumerable<Name> Names(BinaryReader r)
    {
        var names = new Name[r.Read7BitEncodedInt()];
        for (var i = 0; i < names.Length; i++) names[i] = new Name(String(r), String(r), String(r), String(r), String(r));
        return names;
    }

    private static void Date(BinaryWriter w, DateParts? date)
    {
        w.Write(date is not null);
        if (date is null) return;
        w.Write(date.Year);
        w.Write(date.Month ?? -1);
        w.Write(date.Day ?? -1);
    }

    private static DateParts? Date(BinaryReader r)
    {
        if (!r.ReadBoolean()) return null;
        var (year, month, day) = (r.ReadInt32(), r.ReadInt32(), r.ReadInt32());
        return new DateParts(year, month < 0 ? null : month, day < 0 ? null : day);
    }

    private static void Updates(BinaryWriter w, List<Update> updates)
    {
        w.Write7BitEncodedInt(updates.Count);
        foreach (var update in updates)
        {
            w.Write(update.Kind);
            String(w, update.Doi);
            Date(w, update.Date);
        }
    }

    private static IEnumerable<Update> Updates(BinaryReader r)
    {
        var updates = new Update[r.Read7BitEncodedInt()];
        for (var i = 0; i < updates.Length; i++) updates[i] = new Update(r.ReadString(), String(r), Date(r));
        return updates;
    }
}
