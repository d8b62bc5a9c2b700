--[[
pandoc-server.lua -- one long-running pandoc for many conversions (`pandoc lua pandoc-server.lua`).
Starting a pandoc process costs about 40 ms (and 350 ms more to load the syntax highlighter when
a document has a code block); this script pays it once per build worker.

Request on stdin:  "<op> <args length> <body length>\n", args (a JSON list of pandoc command-line
                   options), body.  op "read": Markdown body -> JSON AST.  op "write": JSON AST
                   body -> the format and options in args, filters and metadata applied as the
                   pandoc command line applies them (pipeline/pandoc.py sends only options
                   this script handles).
Answer on stdout:  "<ok|error> <body length> <log length>\n", body, log (JSON list of
                   [verbosity, message] pandoc logged while answering).
]]

local READER = arg[1] or 'markdown'
io.stdout:setvbuf('full')

-- `-M` values arrive as JSON AST values: pandoc's JSON reader makes them metadata, in a
-- document of the same API version as `body`.
local function metadata(meta, body)
  if next(meta) == nil then return {} end
  local version = body:match('"pandoc%-api%-version":%s*(%b[])')
  local json = '{"pandoc-api-version":' .. version .. ',"meta":' .. pandoc.json.encode(meta)
    .. ',"blocks":[]}'
  return pandoc.read(json, 'json').meta
end

local function write(body, args)
  local opts = pandoc.cli.parse_options(args)
  local doc = pandoc.read(body, 'json')
  for key, value in pairs(metadata(opts.metadata, body)) do doc.meta[key] = value end
  local writer = pandoc.WriterOptions { columns = opts.columns, wrap_text = opts.wrap }
  if opts['syntax-highlighting'] == 'none' then writer.highlight_method = 'none' end
  for _, filter in ipairs(opts.filters) do
    if filter.type == 'citeproc' then
      -- --citeproc: citations formatted as the command line formats them, from the
      -- --bibliography and --csl files (metadata, as the command line makes them).
      doc = pandoc.utils.citeproc(doc)
    else
      -- The globals a filter sees when pandoc runs it from the command line.
      local env = setmetatable(
        { FORMAT = opts.to, PANDOC_WRITER_OPTIONS = writer, PANDOC_SCRIPT_FILE = filter.path },
        { __index = _G })
      doc = pandoc.utils.run_lua_filter(doc, filter.path, env)
    end
  end
  local text = pandoc.write(doc, opts.to, writer)
  -- The command line ends its output with a newline; the writer alone does not.
  if text:sub(-1) ~= '\n' then text = text .. '\n' end
  return text
end

local function answer(op, args, body)
  if op == 'read' then
    return pandoc.write(pandoc.read(body, READER), 'json')
  end
  return write(body, args)
end

local logged = 0
while true do
  local header = io.stdin:read('l')
  if not header then break end
  local op, args_length, body_length = header:match('^(%a+) (%d+) (%d+)$')
  local args = pandoc.json.decode(io.stdin:read(tonumber(args_length)), false)
  -- read(0) peeks for end of file, which blocks on a pipe: an empty body is read as nothing.
  local size = tonumber(body_length)
  local body = size > 0 and io.stdin:read(size) or ''
  local ok, result = pcall(answer, op, args, body)
  local log = {}
  for index = logged + 1, #PANDOC_STATE.log do
    local entry = pandoc.json.decode(pandoc.json.encode(PANDOC_STATE.log[index]), false)
    log[#log + 1] = { entry.verbosity, entry.pretty }
  end
  logged = #PANDOC_STATE.log
  local text = ok and result or tostring(result)
  local log_text = pandoc.json.encode(log)
  io.stdout:write(ok and 'ok' or 'error', ' ', #text, ' ', #log_text, '\n', text, log_text)
  io.stdout:flush()
  collectgarbage()
end
