--[[
plain-email.lua -- pandoc Lua filter: turn an article body into a
plain-text email body that reads well in any mail client.

Run as:

  pandoc -f json -t plain --wrap=auto --columns=72 \
         --lua-filter plain-email.lua [-M email-ascii=true]

Input: the JSON AST of pandoc's `markdown` reader (+smart). The title is
not part of the body; body headings start at level 2. Link targets are
absolute URLs (https:, mailto:) or in-page fragments (#id).

What it does:

  * Headings: text on its own line(s), underlined with `=` (levels 1-2)
    or `-` (level 3), underline as wide as the widest heading line;
    levels 4-6 numbered within their section: `1 Title`, `1.1 Title`,
    `1.1.1 Title`.
  * Links: `text [n]`, numbered in reading order of the email (body
    first, then the notes), one number per distinct URL, and listed at
    the end under "Links" as `[n] URL` (never wrapped). A link whose
    text is its own URL / address is written bare, without a number; an
    in-page link (#id) is written as its text only; a link with empty
    text is written as its URL.
  * Footnotes: marker `[a]`, `[b]`, ... `[z]`, `[aa]` ... right after the
    word they belong to, and a "Notes" section (before "Links") with a
    hanging indent.
  * Strong -> *text*, Emph -> _text_, Strikeout -> ~text~, inline code,
    SmallCaps, Underline -> their text.
  * Images -> [Image: alt] / [Image]; a figure caption goes on the next
    line (left out when it only repeats the alt text). Paths never appear.
  * Tables: kept as pandoc renders them when they have at most 3 columns
    and fit the line width; otherwise written as one small block per row:
    `Header: value` for the first cell, then `  Header: value` lines. The
    caption goes on its own line before the table, without attributes.
  * Raw HTML / LaTeX (blocks and inlines) dropped; Div / Span unwrapped.
  * Callouts (Div `.callout`, its first block the title line): every
    line of the block after a bar, `| Warning: Title`, a `|` alone on
    its blank lines; the kind's name as text.
  * Headings already numbered (a first Span `.section-number`: the
    article numbers its sections) are not numbered again.
  * Non-breaking spaces become ordinary spaces (inside the same word, so
    they still do not break the line).
  * Metadata `email-ascii: true`: typographic punctuation becomes ASCII.
  * Optional metadata `email-notes-title` / `email-links-title` replace
    the section names "Notes" / "Links", and `email-image-label` the
    word "Image": the article's language gives them.

Lists, block quotes, definition lists and code blocks are left to the
plain writer (bullets `- ` with a 2-space hanging indent, `1.  ` with a
4-space indent, quotes indented 2, code indented 4, definitions 4).
--]]

local stringify = pandoc.utils.stringify

-- Output width; the writer options come from the command line.
local COLUMNS = (PANDOC_WRITER_OPTIONS and PANDOC_WRITER_OPTIONS.columns) or 72
local WRAP = (PANDOC_WRITER_OPTIONS and PANDOC_WRITER_OPTIONS.wrap_text) or 'wrap-auto'

local ascii = false          -- set from metadata `email-ascii`
local image_label = 'Image'  -- set from metadata `email-image-label`

---------------------------------------------------------------------------
-- Small helpers
---------------------------------------------------------------------------

-- Display width of a string (wide East Asian characters count 2,
-- combining marks 0). Falls back to the UTF-8 code point count.
local function width_of(s)
  if pandoc.layout and pandoc.layout.real_length then
    return pandoc.layout.real_length(s)
  end
  return utf8.len(s) or #s
end

local function split_lines(s)
  local lines = {}
  for line in (s .. '\n'):gmatch('(.-)\n') do
    lines[#lines + 1] = line
  end
  return lines
end

local function rstrip(s)
  return (s:gsub('[ \t]+$', ''))
end

-- Render blocks with the plain writer at the given width; trailing
-- spaces and trailing blank lines are removed.
local function render(blocks, width)
  local out = pandoc.write(pandoc.Pandoc(blocks), 'plain',
                           { columns = math.max(width, 20), wrap_text = WRAP })
  local lines = split_lines(out)
  for i, l in ipairs(lines) do lines[i] = rstrip(l) end
  while #lines > 0 and lines[#lines] == '' do table.remove(lines) end
  while #lines > 0 and lines[1] == '' do table.remove(lines, 1) end
  return lines
end

local function render_inlines(inlines, width)
  return render({ pandoc.Plain(inlines) }, width)
end

-- Prefix the first line with `first` and the others with `rest`;
-- blank lines stay empty (no trailing spaces).
local function hang(lines, first, rest)
  local out = {}
  for i, l in ipairs(lines) do
    if l == '' then
      out[i] = ''
    else
      out[i] = (i == 1 and first or rest) .. l
    end
  end
  return out
end

-- Pre-formatted lines as blocks the plain writer prints verbatim: one
-- Para per run of non-blank lines, each line a single Str joined by
-- LineBreaks. (Not RawBlock: the plain writer puts no blank line between
-- two adjacent raw blocks, e.g. a heading followed by a table. A Str is
-- never re-wrapped, even when it contains spaces.)
local function text_blocks(lines)
  local blocks = pandoc.Blocks{}
  local para = pandoc.Inlines{}
  local function flush()
    if #para > 0 then blocks:insert(pandoc.Para(para)) end
    para = pandoc.Inlines{}
  end
  for _, l in ipairs(lines) do
    if l == '' then
      flush()
    else
      if #para > 0 then para:insert(pandoc.LineBreak()) end
      para:insert(pandoc.Str(l))
    end
  end
  flush()
  return blocks
end

-- Heading numbers below level 3: counters[4], [5], [6]. A heading of
-- level 3 or above starts them again.
local counters = {}

-- "1", "1.1", "1.1.1": the heading's number within its level-3 section
-- (a level the document skipped is left out of the number).
local function heading_number(level)
  for l = 4, 6 do
    if l > level then counters[l] = nil end
  end
  if level < 4 then return nil end
  counters[level] = (counters[level] or 0) + 1
  local parts = {}
  for l = 4, level do
    if counters[l] then parts[#parts + 1] = tostring(counters[l]) end
  end
  return table.concat(parts, '.')
end

-- A heading as raw text. Levels 2 and 3 are underlined (`=`, `-`) as
-- wide as their widest line; levels 4 to 6 are numbered within their
-- section ("1 Dosing", "1.1 Children"), so that each level looks different
-- and the words stay as written (upper case would change "pH" and "mRNA").
local function heading_lines(inlines, level, width, numbered)
  local number = not numbered and heading_number(level) or nil
  if number then
    local indent = string.rep(' ', #number + 1)
    local lines = render_inlines(inlines, width - #indent)
    if #lines == 0 then return { number } end
    return hang(lines, number .. ' ', indent)
  end
  local lines = render_inlines(inlines, width)
  if #lines == 0 then return nil end
  local w = 0
  for _, l in ipairs(lines) do w = math.max(w, width_of(l)) end
  lines[#lines + 1] = string.rep(level <= 2 and '=' or '-', w)
  return lines
end

-- If a cell / caption is one Plain or Para, return its inlines.
local function single_inlines(blocks)
  if #blocks == 1 and (blocks[1].t == 'Plain' or blocks[1].t == 'Para') then
    return blocks[1].content
  end
  return nil
end

-- a, b, ..., z, aa, ab, ... (bijective base 26)
local function note_label(n)
  local s = ''
  while n > 0 do
    local r = (n - 1) % 26
    s = string.char(97 + r) .. s
    n = (n - 1) // 26
  end
  return s
end

---------------------------------------------------------------------------
-- Text clean-up: non-breaking spaces and (optionally) ASCII punctuation
---------------------------------------------------------------------------

-- Mail clients and pandoc treat these as non-breaking; we want ordinary
-- spaces. U+00A0 NBSP, U+202F narrow NBSP, U+2007 figure space.
local NBSP = { '\u{00A0}', '\u{202F}', '\u{2007}' }

local ASCII_MAP = {
  ['\u{2018}'] = "'", ['\u{2019}'] = "'", ['\u{201A}'] = "'", ['\u{201B}'] = "'",
  ['\u{201C}'] = '"', ['\u{201D}'] = '"', ['\u{201E}'] = '"', ['\u{201F}'] = '"',
  ['\u{00AB}'] = '"', ['\u{00BB}'] = '"', ['\u{2039}'] = "'", ['\u{203A}'] = "'",
  ['\u{2010}'] = '-', ['\u{2011}'] = '-', ['\u{2012}'] = '-', ['\u{2013}'] = '-',
  ['\u{2212}'] = '-', ['\u{2014}'] = '--', ['\u{2015}'] = '--',
  ['\u{2026}'] = '...',
}

local function fix_spaces(s)
  for _, c in ipairs(NBSP) do s = s:gsub(c, ' ') end
  return s
end

local function fix_text(s)
  s = fix_spaces(s)
  if ascii then
    for from, to in pairs(ASCII_MAP) do
      s = s:gsub(from, to)
    end
  end
  return s
end

-- Alt text of an image: an explicit `alt` / `fig-alt` attribute wins
-- over the image description (which, for figures, is also the caption).
local function explicit_alt(img)
  local a = img.attributes['alt'] or img.attributes['fig-alt']
  if a and a ~= '' then return a end
  return nil
end

local function quote_marks(kind)
  if kind == 'SingleQuote' then
    return ascii and "'" or '\u{2018}', ascii and "'" or '\u{2019}'
  end
  return ascii and '"' or '\u{201C}', ascii and '"' or '\u{201D}'
end

---------------------------------------------------------------------------
-- Pass 1: figures (before images are flattened, so the alt text can be
-- compared with the caption)
---------------------------------------------------------------------------

local figure_filter = {
  Figure = function (fig)
    local alts = {}
    fig.content:walk { Image = function (img)
      alts[#alts + 1] = explicit_alt(img) or stringify(img.caption)
    end }
    local caption = fig.caption.long or pandoc.Blocks{}
    local cap_text = stringify(caption)
    local blocks = pandoc.Blocks(fig.content)
    -- With implicit figures pandoc uses the same text as alt and caption;
    -- printing it twice reads badly, so the caption is then left out.
    if cap_text == '' or (#alts == 1 and alts[1] == cap_text) then
      return blocks
    end
    local last = blocks[#blocks]
    local cap_inl = single_inlines(caption)
    if last and (last.t == 'Plain' or last.t == 'Para') and cap_inl then
      -- "[Image: alt]" and the caption on the next line, same paragraph
      last.content:insert(pandoc.LineBreak())
      last.content:extend(cap_inl)
      return blocks
    end
    blocks:extend(caption)
    return blocks
  end,
}

---------------------------------------------------------------------------
-- Pass 2: footnotes -> markers; note contents are collected
---------------------------------------------------------------------------

local notes = {}   -- list of Blocks, in order of reference

local note_filter = {
  traverse = 'topdown',
  Note = function (note)
    notes[#notes + 1] = note.content
    return pandoc.Str('[' .. note_label(#notes) .. ']'), false
  end,
}

---------------------------------------------------------------------------
-- Pass 3: links -> "text [n]"; URLs collected
---------------------------------------------------------------------------

local urls = {}       -- list of URLs in numbering order
local url_num = {}    -- URL -> number

local function strip_url(s)
  return (s:gsub('^mailto:', ''):gsub('^%a[%w+.-]*://', ''):gsub('/$', ''))
end

local link_filter = {
  traverse = 'topdown',
  Link = function (link)
    local target = link.target
    local text = stringify(link.content)
    if target:sub(1, 1) == '#' then
      return link.content, false                  -- in-page link: text only
    end
    if text == '' then
      return pandoc.Str(target), false
    end
    if text == target or strip_url(text) == strip_url(target) then
      -- autolink / mailto with the address as text: bare URL, no number
      -- (the address itself for mailto:)
      if target:match('^mailto:') then
        return pandoc.Str(target:sub(8)), false
      end
      return pandoc.Str(target), false
    end
    local n = url_num[target]
    if not n then
      urls[#urls + 1] = target
      n = #urls
      url_num[target] = n
    end
    local out = pandoc.Inlines(link.content)
    while #out > 0 and (out[#out].t == 'Space' or out[#out].t == 'SoftBreak') do
      out:remove()
    end
    -- A Str with an ordinary space is never broken by the plain writer,
    -- so " [n]" stays on the same line as the last word of the text.
    out:insert(pandoc.Str(' [' .. n .. ']'))
    return out, false
  end,
}

---------------------------------------------------------------------------
-- Pass 4: inline formatting and block clean-up
---------------------------------------------------------------------------

local function wrap_with(mark)
  return function (el)
    local out = pandoc.Inlines{ pandoc.Str(mark) }
    out:extend(el.content)
    out:insert(pandoc.Str(mark))
    return out
  end
end

local function unwrap(el) return el.content end

-- Words of text as inlines the writer may wrap between.
local function words_of(text)
  local out = pandoc.Inlines{}
  for w in text:gmatch('%S+') do
    if #out > 0 then out:insert(pandoc.Space()) end
    out:insert(pandoc.Str(w))
  end
  return out
end

-- Math the plain writer cannot turn into Unicode text it writes as TeX
-- between Markdown's `$` or `$$`: the TeX stays, the dollars go; display
-- math keeps a line of its own.
local function math_text(m)
  local written = pandoc.write(pandoc.Pandoc{ pandoc.Plain{ m } }, 'plain',
                               { wrap_text = 'wrap-none' })
  written = written:gsub('%s+$', '')
  local tex = written:match('^%$%$(.-)%$%$$') or written:match('^%$(.-)%$$')
  if not tex then return nil end
  local out = words_of(tex)
  if m.mathtype == 'DisplayMath' then
    out:insert(1, pandoc.LineBreak())
    out:insert(pandoc.LineBreak())
  end
  return out
end

-- A paragraph does not start or end with a line break (display math
-- alone in its paragraph would leave an empty line).
local function trim_breaks(block)
  local c = block.content
  while #c > 0 and c[1].t == 'LineBreak' do c:remove(1) end
  while #c > 0 and c[#c].t == 'LineBreak' do c:remove() end
  return block
end

---------------------------------------------------------------------------
-- Pass 0: what the reader made: callout labels, numbered headings
---------------------------------------------------------------------------

local function first_class(el, class)
  return el and el.t == 'Span' and el.classes:includes(class)
end

local reader_filter = {
  Span = function (s)
    if s.classes:includes('callout-kind') then return pandoc.Str(stringify(s.content)) end
  end,
  Header = function (h)
    if first_class(h.content[1], 'section-number') then h.classes:insert('numbered') end
    return h
  end,
}

local inline_filter = {
  Str = function (s) s.text = fix_text(s.text); return s end,
  Quoted = function (q)
    local open, close = quote_marks(q.quotetype)
    local out = pandoc.Inlines{ pandoc.Str(open) }
    out:extend(q.content)
    out:insert(pandoc.Str(close))
    return out
  end,
  Strong = wrap_with('*'),
  Emph = wrap_with('_'),
  Strikeout = wrap_with('~'),
  SmallCaps = unwrap,
  Underline = unwrap,
  Span = unwrap,
  -- Split code on whitespace so a long code span can still wrap.
  Code = function (c) return pandoc.Inlines(fix_spaces(c.text)) end,
  Math = math_text,
  RawInline = function (r)
    if r.format == 'plain' then return nil end
    if r.format == 'html' and r.text:lower():match('^<br%s*/?>$') then
      return pandoc.LineBreak()
    end
    return {}
  end,
  Image = function (img)
    local alt = img.caption
    local explicit = explicit_alt(img)
    if explicit then alt = pandoc.Inlines(fix_text(explicit)) end
    if stringify(alt) == '' then return pandoc.Str('[' .. image_label .. ']') end
    local out = pandoc.Inlines{ pandoc.Str('[' .. image_label .. ':'), pandoc.Space() }
    out:extend(alt)
    out:insert(pandoc.Str(']'))
    return out
  end,
  -- Blocks
  RawBlock = function (r)
    if r.format == 'plain' then return nil end
    return {}
  end,
  Div = function (d)
    if d.classes:includes('callout') then return d end
    return d.content
  end,
  Para = trim_breaks,
  Plain = trim_breaks,
  CodeBlock = function (cb) cb.text = fix_spaces(cb.text); return cb end,
}

---------------------------------------------------------------------------
-- Pass 5: layout of headings and tables; needs the available width, so
-- it recurses through containers itself.
---------------------------------------------------------------------------

local layout_blocks

-- One cell of a row block as lines: "Header: value" (the value alone
-- when its column has no header), the first line after `first`, the
-- next ones indented 4. A cell of several blocks goes under its header.
local function cell_lines(head, cell, width, first)
  local inlines = single_inlines(cell)
  if #cell == 0 or (inlines and stringify(inlines) == '') then return {} end
  local label = pandoc.Inlines{}
  if head then label:extend(head) end
  if inlines then
    if head then label:extend{ pandoc.Str(':'), pandoc.Space() } end
    label:extend(inlines)
    return hang(render_inlines(label, width - 4), first, '    ')
  end
  local lines = {}
  if head then
    label:insert(pandoc.Str(':'))
    lines = hang(render_inlines(label, width - #first), first, first)
  end
  for _, l in ipairs(hang(render(cell, width - 4), '    ', '    ')) do
    lines[#lines + 1] = l
  end
  return lines
end

-- A table too wide for columns, as one block per row: its first cell
-- on the first line, the others indented 2 below it, each cell after
-- its column's header ("Week: 1", "  Dose: 0.5 mg/kg"). The caption
-- comes first, as a line of its own.
local function table_as_rows(tbl, width)
  local st = pandoc.utils.to_simple_table(tbl)
  local out = {}
  local function add(lines)
    for _, l in ipairs(lines) do out[#out + 1] = l end
  end

  if #st.caption > 0 then
    add(render_inlines(st.caption, width))
    add({ '' })
  end

  local headers = {}
  for i, h in ipairs(st.headers) do
    local inlines = single_inlines(h) or pandoc.Inlines(stringify(h))
    headers[i] = stringify(inlines) ~= '' and inlines or nil
  end

  for r, row in ipairs(st.rows) do
    if r > 1 then add({ '' }) end
    for c, cell in ipairs(row) do
      add(cell_lines(headers[c], cell, width, c == 1 and '' or '  '))
    end
  end
  return text_blocks(out)
end

-- A table in columns as the plain writer sets it, or nil when it does
-- not fit. The caption goes on a line of its own before it: the writer
-- would print it after the table in Markdown's syntax, with the table's
-- attributes (": Typical doses {#tbl-doses}").
local function table_as_columns(tbl, width)
  local bare = tbl:clone()
  bare.attr = pandoc.Attr()
  bare.caption = { long = pandoc.Blocks{} }
  local lines = render({ bare }, width)
  for _, l in ipairs(lines) do
    if width_of(l) > width then return nil end
  end
  local caption = tbl.caption.long or pandoc.Blocks{}
  if #caption > 0 then
    local above = render(caption, width)
    above[#above + 1] = ''
    for _, l in ipairs(lines) do above[#above + 1] = l end
    lines = above
  end
  -- Same text the writer would produce, minus padding at line ends.
  return text_blocks(lines)
end

-- Whether every cell is one line of text at most: a cell of several
-- blocks (a list, two paragraphs) makes the writer draw a grid table,
-- Markdown's `+---+` syntax.
local function one_paragraph_cells(tbl)
  local st = pandoc.utils.to_simple_table(tbl)
  local rows = { st.headers }
  for _, row in ipairs(st.rows) do rows[#rows + 1] = row end
  for _, row in ipairs(rows) do
    for _, cell in ipairs(row) do
      if #cell > 0 and not single_inlines(cell) then return false end
    end
  end
  return true
end

local function layout_table(tbl, width)
  if #tbl.colspecs <= 3 and one_paragraph_cells(tbl) then
    local columns = table_as_columns(tbl, width)
    if columns then return columns end
  end
  return table_as_rows(tbl, width)
end

local function ordered_marker_width(ol)
  local last = ol.start + #ol.content - 1
  local w = #tostring(last) + 2        -- "10." / "10)" plus a space
  if ol.delimiter == 'TwoParens' then w = w + 1 end
  return math.max(w, 4)
end

local function layout_block(b, width)
  local t = b.t
  if t == 'Header' then
    local lines = heading_lines(b.content, b.level, width, b.classes:includes('numbered'))
    return lines and text_blocks(lines) or {}
  elseif t == 'Div' and b.classes:includes('callout') then
    local lines = render(layout_blocks(b.content, width - 2), width - 2)
    for i, l in ipairs(lines) do lines[i] = l == '' and '|' or '| ' .. l end
    return text_blocks(lines)
  elseif t == 'Table' then
    return layout_table(b, width)
  elseif t == 'BlockQuote' then
    b.content = layout_blocks(b.content, width - 2)
  elseif t == 'BulletList' then
    for i, item in ipairs(b.content) do
      b.content[i] = layout_blocks(item, width - 2)
    end
  elseif t == 'OrderedList' then
    local w = ordered_marker_width(b)
    for i, item in ipairs(b.content) do
      b.content[i] = layout_blocks(item, width - w)
    end
  elseif t == 'DefinitionList' then
    for _, pair in ipairs(b.content) do
      for j, def in ipairs(pair[2]) do
        pair[2][j] = layout_blocks(def, width - 4)
      end
    end
  elseif t == 'Div' then
    b.content = layout_blocks(b.content, width)
  end
  return b
end

layout_blocks = function (blocks, width)
  local out = pandoc.Blocks{}
  for _, b in ipairs(blocks) do
    local r = layout_block(b, width)
    if r.t then out:insert(r) else out:extend(r) end
  end
  return out
end

---------------------------------------------------------------------------
-- Main
---------------------------------------------------------------------------

local function meta_flag(v)
  if v == nil then return false end
  if type(v) == 'boolean' then return v end
  local s = stringify(v):lower()
  return s == 'true' or s == 'yes' or s == '1' or s == 'on'
end

local function meta_text(v, default)
  if v == nil then return default end
  local s = stringify(v)
  return s ~= '' and s or default
end

function Pandoc(doc)
  ascii = meta_flag(doc.meta['email-ascii'])
  local notes_title = meta_text(doc.meta['email-notes-title'], 'Notes')
  local links_title = meta_text(doc.meta['email-links-title'], 'Links')
  image_label = meta_text(doc.meta['email-image-label'], 'Image')

  local body = doc.blocks:walk(reader_filter):walk(figure_filter)
  body = body:walk(note_filter)     -- note contents were walked above too

  -- Number links in the order the reader meets them: body, then notes.
  body = body:walk(link_filter)
  for i, n in ipairs(notes) do notes[i] = n:walk(link_filter) end

  body = layout_blocks(body:walk(inline_filter), COLUMNS)

  if #notes > 0 then
    body:extend(text_blocks(heading_lines(pandoc.Inlines(notes_title), 3, COLUMNS)))
    for i, n in ipairs(notes) do
      local marker = '[' .. note_label(i) .. '] '
      local indent = string.rep(' ', #marker)
      local content = layout_blocks(n:walk(inline_filter), COLUMNS - #marker)
      body:extend(text_blocks(hang(render(content, COLUMNS - #marker), marker, indent)))
    end
  end

  if #urls > 0 then
    body:extend(text_blocks(heading_lines(pandoc.Inlines(links_title), 3, COLUMNS)))
    -- URLs are never wrapped: each line is one Str.
    local lines = {}
    for i, u in ipairs(urls) do
      lines[#lines + 1] = '[' .. i .. '] ' .. fix_spaces(u)
    end
    body:extend(text_blocks(lines))
  end

  doc.blocks = body
  return doc
end
