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
                work.Provenance.PublishedFoundBy, work.JournalReference, work.Note, work.Provenance.Canonical, work.Provenance.MatchedBy,
            })
                String(w, value);
            Ids(w, work.Ids);
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
            w.Write(work.Provenance.IsResolved);
            Updates(w, work.UpdatedBy);
            Updates(w, work.UpdateTo);
            w.Write(work.Provenance.Source);
            w.Write(work.Provenance.Score is not null);
            if (work.Provenance.Score is { } score) w.Write(score);
        }
        return buffer.ToArray();
    }

    public static Work Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new SpanReader(bytes);
        var work = new Work { Id = r.ReadString(), Type = r.ReadString() };
        work.Title = Text(ref r);
        Names(ref r, work.Authors);
        Names(ref r, work.Editors);
        work.Issued = Date(ref r);
        work.ContainerTitle = r.ReadOptional();
        work.ContainerTitleShort = r.ReadOptional();
        work.CollectionTitle = r.ReadOptional();
        work.EventTitle = r.ReadOptional();
        work.Volume = r.ReadOptional();
        work.Issue = r.ReadOptional();
        work.Page = r.ReadOptional();
        work.ArticleNumber = r.ReadOptional();
        work.Publisher = r.ReadOptional();
        work.PublisherPlace = r.ReadOptional();
        work.Doi = r.ReadOptional();
        work.Url = r.ReadOptional();
        work.Language = r.ReadOptional();
        work.Genre = r.ReadOptional();
        work.PublishedDoi = r.ReadOptional();
        work.Provenance.PublishedFoundBy = r.ReadOptional();
        work.JournalReference = r.ReadOptional();
        work.Note = r.ReadOptional();
        work.Provenance.Canonical = r.ReadOptional();
        work.Provenance.MatchedBy = r.ReadOptional();
        ReadIds(ref r, work.Ids);
        Strings(ref r, work.Issn);
        Strings(ref r, work.Isbn);
        Strings(ref r, work.Keywords);
        work.Abstract = Text(ref r);
        if (r.ReadBoolean()) work.Eprint = new Eprint(r.ReadString(), r.ReadString(), r.ReadOptional(), r.ReadOptional());
        work.IsPreprint = r.ReadBoolean();
        work.Provenance.IsResolved = r.ReadBoolean();
        Updates(ref r, work.UpdatedBy);
        Updates(ref r, work.UpdateTo);
        work.Provenance.Source = r.ReadString();
        if (r.ReadBoolean()) work.Provenance.Score = r.ReadDouble();
        if (!r.AtEnd) throw new InvalidDataException("trailing bytes after a work");
        return work;
    }

    /// <summary>A length as <see cref="BinaryWriter.Write7BitEncodedInt"/> writes it, read at <paramref name="at"/> (which moves past it).</summary>
    internal static int Read7BitLength(ReadOnlySpan<byte> bytes, ref int at)
    {
        var value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = bytes[at++];
            value |= (b & 0x7F) << shift;
            if (b < 0x80) return value >= 0 ? value : throw new InvalidDataException("negative length");
        }
        throw new InvalidDataException("bad length");
    }

    /// <summary>Reads what <see cref="BinaryWriter"/> wrote, straight from the index's bytes (no stream, no copy).</summary>
    private ref struct SpanReader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _at;

        public readonly bool AtEnd => _at == _bytes.Length;

        public bool ReadBoolean() => _bytes[_at++] switch
        {
            0 => false,
            1 => true,
            _ => throw new InvalidDataException("not a boolean"),
        };

        public int ReadInt32()
        {
            var value = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(_bytes[_at..]);
            _at += 4;
            return value;
        }

        public double ReadDouble()
        {
            var value = System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(_bytes[_at..]);
            _at += 8;
            return value;
        }

        public int Read7BitEncodedInt() => Read7BitLength(_bytes, ref _at);

        public string ReadString()
        {
            var length = Read7BitEncodedInt();
            var value = Encoding.UTF8.GetString(_bytes.Slice(_at, length));
            _at += length;
            return value;
        }

        public string? ReadOptional() => ReadBoolean() ? ReadString() : null;
    }

    private static void String(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null) w.Write(value);
    }

    private static void Strings(BinaryWriter w, List<string> values)
    {
        w.Write7BitEncodedInt(values.Count);
        foreach (var value in values) w.Write(value);
    }

    private static void Strings(ref SpanReader r, List<string> into)
    {
        for (var count = r.Read7BitEncodedInt(); count > 0; count--) into.Add(r.ReadString());
    }

    private static void Ids(BinaryWriter w, SortedDictionary<string, string> ids)
    {
        w.Write7BitEncodedInt(ids.Count);
        foreach (var (scheme, value) in ids)
        {
            w.Write(scheme);
            w.Write(value);
        }
    }

    private static void ReadIds(ref SpanReader r, SortedDictionary<string, string> into)
    {
        for (var count = r.Read7BitEncodedInt(); count > 0; count--)
        {
            var scheme = r.ReadString();
            into[scheme] = r.ReadString();
        }
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

    private static RichText? Text(ref SpanReader r)
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

    private static void Names(ref SpanReader r, List<Name> into)
    {
        for (var count = r.Read7BitEncodedInt(); count > 0; count--)
            into.Add(new Name(r.ReadOptional(), r.ReadOptional(), r.ReadOptional(), r.ReadOptional(), r.ReadOptional()));
    }

    private static void Date(BinaryWriter w, DateParts? date)
    {
        w.Write(date is not null);
        if (date is null) return;
        w.Write(date.Year);
        w.Write(date.Month ?? -1);
        w.Write(date.Day ?? -1);
    }

    private static DateParts? Date(ref SpanReader r)
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

    private static void Updates(ref SpanReader r, List<Update> into)
    {
        for (var count = r.Read7BitEncodedInt(); count > 0; count--) into.Add(new Update(r.ReadString(), r.ReadOptional(), Date(ref r)));
    }
}
