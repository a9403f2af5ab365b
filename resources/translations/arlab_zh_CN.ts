<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message>
        <source>rotary (RoPE)</source>
        <translation>旋转位置编码 (RoPE)</translation>
    </message>
    <message>
        <source>Decoder-only Transformer (GPT): %1 layers × %2 attention heads, embedding width C = %3, context %4 tokens, %5 positions; %6 parameters.</source>
        <translation>仅解码器 Transformer (GPT)：%1 层 × %2 个注意力头，嵌入宽度 C = %3，上下文 %4 个词元，%5位置编码；共 %6 个参数。</translation>
    </message>
    <message>
        <source>%1 model; %2 parameters.</source>
        <translation>%1 模型；%2 个参数。</translation>
    </message>
    <message>
        <source>nats per token</source>
        <translation>奈特/词元</translation>
    </message>
    <message>
        <source>Validation loss %1 %2</source>
        <translation>验证损失 %1 %2</translation>
    </message>
    <message>
        <source> (the toy language&apos;s true entropy rate: %1, the best any model can do)</source>
        <translation>（玩具语言的真实熵率：%1，任何模型能达到的最好结果）</translation>
    </message>
    <message>
        <source>, after %1 training steps</source>
        <translation>，训练 %1 步后</translation>
    </message>
    <message>
        <source>temperature (T = 1)</source>
        <translation>温度 (T = 1)</translation>
    </message>
    <message>
        <source>top-k</source>
        <translation>top-k</translation>
    </message>
    <message>
        <source>top-p</source>
        <translation>top-p</translation>
    </message>
    <message>
        <source>&lt;b&gt;Step %1&lt;/b&gt; (position %2): P(next | %3) — chose &lt;b&gt;%4&lt;/b&gt;%5</source>
        <translation>&lt;b&gt;第 %1 步&lt;/b&gt;（位置 %2）：P(下一个 | %3) — 选中 &lt;b&gt;%4&lt;/b&gt;%5</translation>
    </message>
    <message>
        <source> (forced)</source>
        <translation>（强制）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Next&lt;/b&gt; (position %1): P(next | %2) — press Space to draw</source>
        <translation>&lt;b&gt;下一个&lt;/b&gt;（位置 %1）：P(下一个 | %2) — 按空格键抽取</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>尚未加载模型。</translation>
    </message>
    <message>
        <source>This model has no attention (it is not a Transformer).</source>
        <translation>此模型没有注意力（它不是 Transformer）。</translation>
    </message>
    <message>
        <source>Press Run to decode the prompt with every strategy.</source>
        <translation>按“运行”用每种策略解码提示词。</translation>
    </message>
    <message>
        <source>prompt: %1</source>
        <translation>提示词：%1</translation>
    </message>
    <message>
        <source>log P</source>
        <translation>log P</translation>
    </message>
    <message>
        <source>(end)</source>
        <translation>（结束）</translation>
    </message>
    <message>
        <source>%1, position %2: &apos;%3&apos;
P = %4 (log P %5)</source>
        <translation>%1，位置 %2：“%3”
P = %4（log P %5）</translation>
    </message>
    <message>
        <source>
first token that differs from greedy</source>
        <translation>
第一个与贪心解码不同的词元</translation>
    </message>
    <message>
        <source>&lt;b&gt;Next token&lt;/b&gt; — the model&apos;s top candidates:</source>
        <translation>&lt;b&gt;下一个词元&lt;/b&gt; — 模型最可能的候选：</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — prompt token</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — 提示词词元</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — p = %2%3&lt;br&gt;Alternatives (click the chip to choose one):</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — p = %2%3&lt;br&gt;其他候选（点击词块可选择）：</translation>
    </message>
    <message>
        <source> (forced by you)</source>
        <translation>（由你强制）</translation>
    </message>
    <message>
        <source>cannot write &apos;%1&apos;: %2</source>
        <translation>无法写入“%1”：%2</translation>
    </message>
    <message>
        <source>Exported from arlab %1</source>
        <translation>由 arlab %1 导出</translation>
    </message>
    <message>
        <source>&apos;%1&apos;: the file name must end in .png, .svg or .csv</source>
        <translation>“%1”：文件名必须以 .png、.svg 或 .csv 结尾</translation>
    </message>
    <message>
        <source>cannot encode the PNG: %1</source>
        <translation>无法编码 PNG：%1</translation>
    </message>
    <message>
        <source>&apos;%1&apos; shows no numbers to export as CSV (PNG and SVG work)</source>
        <translation>“%1”没有可以导出为 CSV 的数字（PNG 和 SVG 可以导出）</translation>
    </message>
    <message>
        <source>&apos;%1&apos; has no numbers to export yet%2</source>
        <translation>“%1”还没有可以导出的数字%2</translation>
    </message>
    <message>
        <source>Hidden while the quiz asks what comes next: answer in the Quiz dock first.</source>
        <translation>测验正在提问下一个是什么，这里暂时隐藏：请先在“测验”面板中作答。</translation>
    </message>
    <message>
        <source>GPT-2 (Hugging Face layout, read from config.json and model.safetensors): %1 layers × %2 attention heads, embedding width C = %3, context %4 tokens, learned positions, activation %5; %6 parameters.</source>
        <translation>GPT-2（Hugging Face 格式，读自 config.json 和 model.safetensors）：%1 层 × %2 个注意力头，嵌入宽度 C = %3，上下文 %4 个词元，可学习位置编码，激活函数 %5；%6 个参数。</translation>
    </message>
    <message>
        <source>gelu_new (tanh GELU)</source>
        <translation>gelu_new（tanh 近似的 GELU）</translation>
    </message>
    <message>
        <source>Llama (llama2.c checkpoint): %1 layers × %2 attention heads (%3 key/value heads%4), width %5, SwiGLU hidden width %6, context %7 tokens; RMSNorm, rotary positions (RoPE), no biases; %8 parameters.</source>
        <translation>Llama（llama2.c 检查点）：%1 层 × %2 个注意力头（%3 个键/值头%4），宽度 %5，SwiGLU 隐藏宽度 %6，上下文 %7 个词元；RMSNorm，旋转位置编码（RoPE），无偏置；%8 个参数。</translation>
    </message>
    <message>
        <source>: grouped-query attention</source>
        <translation>：分组查询注意力</translation>
    </message>
    <message>
        <source>GPT-2 byte-level BPE, %1 tokens</source>
        <translation>GPT-2 字节级 BPE，%1 个词元</translation>
    </message>
    <message>
        <source>rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <source>llama2.c BPE (byte fallback), %1 tokens</source>
        <translation>llama2.c BPE（字节回退），%1 个词元</translation>
    </message>
    <message>
        <source>score</source>
        <translation>分数</translation>
    </message>
    <message>
        <source>characters, %1 tokens</source>
        <translation>字符，%1 个词元</translation>
    </message>
    <message>
        <source>words, %1 tokens</source>
        <translation>单词，%1 个词元</translation>
    </message>
    <message numerus="yes">
        <source>%n piece(s) are not in the vocabulary (id -1): this model cannot read them.</source>
        <translation>
            <numerusform>%n 个片段不在词表中（id -1）：这个模型无法读取它们。</numerusform>
        </translation>
    </message>
    <message>
        <source> Only the first %1 characters are shown.</source>
        <translation> 只显示前 %1 个字符。</translation>
    </message>
    <message>
        <source>Layer 1, head %1, blocks of %2 queries x %3 keys</source>
        <translation>第 1 层，第 %1 个头，分块：%2 个查询 × %3 个键</translation>
    </message>
    <message>
        <source>learned</source>
        <translation>可学习</translation>
    </message>
    <message>
        <source>sinusoidal</source>
        <translation>正弦</translation>
    </message>
    <message>
        <source>nats per recall</source>
        <translation>奈特/次回忆</translation>
    </message>
    <message>
        <source>nats per token (cross-entropy; training added balance x the load-balancing loss)</source>
        <translation>奈特/词元（交叉熵；训练时另加 balance × 负载均衡损失）</translation>
    </message>
    <message>
        <source>%1 word tokens</source>
        <translation>%1 个词级词元</translation>
    </message>
    <message>
        <source>%1 character tokens</source>
        <translation>%1 个字符级词元</translation>
    </message>
    <message>
        <source>%1 GPT-2 byte-level BPE tokens</source>
        <translation>%1 个 GPT-2 字节级 BPE 词元</translation>
    </message>
    <message>
        <source>%1 llama2.c BPE tokens</source>
        <translation>%1 个 llama2.c BPE 词元</translation>
    </message>
</context>
<context>
    <name>arlab::AttentionView</name>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Which Transformer block (layer) to show</source>
        <translation>显示哪一个 Transformer 块（层）</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>头</translation>
    </message>
    <message>
        <source>Which attention head of that layer to show</source>
        <translation>显示该层的哪一个注意力头</translation>
    </message>
    <message>
        <source>All heads</source>
        <translation>所有头</translation>
    </message>
    <message>
        <source>Show every layer (rows) and head (columns) at once; click one to open it</source>
        <translation>同时显示每一层（行）和每个头（列）；点击其中一个可放大</translation>
    </message>
    <message>
        <source>Each row is a query (the token looking back); it spreads weight 1 over the keys up to itself. Hatched cells are the future: the causal mask hides them</source>
        <translation>每一行是一个查询（向回看的词元）；它把总和为 1 的权重分配给它自己及之前的键。带斜线的格子是未来：因果掩码把它们遮住了</translation>
    </message>
    <message>
        <source>No attention (this model has none, or nothing is loaded).</source>
        <translation>没有注意力（此模型没有注意力，或尚未加载模型）。</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>No attention: this model has none.</source>
        <translation>没有注意力：此模型没有注意力。</translation>
    </message>
    <message>
        <source>Hover a cell: how much a query token attends to a key token.</source>
        <translation>将鼠标悬停在格子上：查询词元对键词元的注意力有多大。</translation>
    </message>
    <message>
        <source>key (attended to)</source>
        <translation>键（被关注）</translation>
    </message>
    <message>
        <source>query (looking back)</source>
        <translation>查询（向回看）</translation>
    </message>
    <message>
        <source>attention weight</source>
        <translation>注意力权重</translation>
    </message>
    <message>
        <source>Layer %1, head %2</source>
        <translation>第 %1 层，第 %2 头</translation>
    </message>
    <message>
        <source>query &apos;%1&apos; (position %2) cannot see key &apos;%3&apos; (position %4): it is in the future (masked)</source>
        <translation>查询“%1”（位置 %2）看不到键“%3”（位置 %4）：它在未来（被掩码遮住）</translation>
    </message>
    <message>
        <source>query &apos;%1&apos; (%2) → key &apos;%3&apos; (%4): %5</source>
        <translation>查询“%1”（%2）→ 键“%3”（%4）：%5</translation>
    </message>
    <message>
        <source>L%1 H%2: </source>
        <translation>L%1 H%2：</translation>
    </message>
    <message>
        <source>no attention yet</source>
        <translation>还没有注意力</translation>
    </message>
    <message>
        <source>Each map is %1 × %1 pixels for %2 tokens, so it is max-pooled: a pixel shows the LARGEST weight among the %3 × %3 query × key cells it covers (one sharp weight stays visible). Hover for the exact weight; click a map to open every cell.</source>
        <translation>每张小图只有 %1 × %1 像素，却要画 %2 个词元，所以做了最大池化：一个像素显示它覆盖的 %3 × %3 个查询 × 键格子中【最大】的权重（一个尖锐的权重仍然看得见）。悬停可看精确权重；点击一张图可看到每一个格子。</translation>
    </message>
    <message>
        <source>Every token is shown: one query × key cell per pixel block, nothing pooled. Click a map to open it.</source>
        <translation>每个词元都画出来了：每个像素块是一个查询 × 键格子，没有池化。点击一张图可以打开它。</translation>
    </message>
    <message>
        <source>Wheel: scroll the queries · Shift+wheel: the keys · Ctrl+wheel or +/−: zoom · 0: whole matrix · drag: move</source>
        <translation>滚轮：滚动查询 · Shift+滚轮：滚动键 · Ctrl+滚轮或 +/−：缩放 · 0：整个矩阵 · 拖动：移动</translation>
    </message>
    <message>
        <source> · this pixel: max %1 over queries %2–%3 × keys %4–%5</source>
        <translation> · 这个像素：查询 %2–%3 × 键 %4–%5 中的最大值 %1</translation>
    </message>
</context>
<context>
    <name>arlab::BeamController</name>
    <message>
        <source>No text model loaded.</source>
        <translation>尚未加载文本模型。</translation>
    </message>
    <message>
        <source>The prompt does not encode: %1</source>
        <translation>提示词无法编码：%1</translation>
    </message>
    <message>
        <source>round %1 · %2 nodes</source>
        <translation>第 %1 轮 · %2 个节点</translation>
    </message>
    <message>
        <source> · done: %1</source>
        <translation> · 完成：%1</translation>
    </message>
    <message>
        <source>&lt;start&gt;</source>
        <translation>&lt;开始&gt;</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <source>Beam search stopped: %1</source>
        <translation>束搜索已停止：%1</translation>
    </message>
</context>
<context>
    <name>arlab::BeamSearchPanel</name>
    <message>
        <source>Beam width k: how many hypotheses survive each round. k = 1 is greedy decoding.</source>
        <translation>束宽 k：每轮保留多少个假设。k = 1 即贪心解码。</translation>
    </message>
    <message>
        <source>Maximum number of generated tokens; a hypothesis that reaches it is finished.</source>
        <translation>最多生成的词元数；达到它的假设即告完成。</translation>
    </message>
    <message>
        <source>GNMT length penalty alpha: score = log P / ((5 + length) / 6)^alpha.
0 compares raw log-probabilities (short hypotheses win); larger values favour longer ones.</source>
        <translation>GNMT 长度惩罚 alpha：得分 = log P / ((5 + 长度) / 6)^alpha。
0 直接比较对数概率（短假设占优）；值越大越偏向较长的假设。</translation>
    </message>
    <message>
        <source>Step round</source>
        <translation>走一轮</translation>
    </message>
    <message>
        <source>One expansion round: every alive hypothesis expands into its most probable next tokens
(one batched model call), then the best k survive.</source>
        <translation>一轮扩展：每个存活的假设扩展出最可能的下一个词元
（一次批量模型调用），然后保留最好的 k 个。</translation>
    </message>
    <message>
        <source>Run to end</source>
        <translation>运行到结束</translation>
    </message>
    <message>
        <source>Rounds until no hypothesis can improve on the finished ones.</source>
        <translation>一轮接一轮，直到没有假设能超过已完成的假设。</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Start again from the prompt.</source>
        <translation>从提示词重新开始。</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>宽度</translation>
    </message>
    <message>
        <source>Max length</source>
        <translation>最大长度</translation>
    </message>
    <message>
        <source>Length penalty α</source>
        <translation>长度惩罚 α</translation>
    </message>
    <message>
        <source>Click a node to see its prefix and its candidates.</source>
        <translation>点击节点查看它的前缀和候选。</translation>
    </message>
    <message>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>P(token)</source>
        <translation>P(词元)</translation>
    </message>
    <message>
        <source>log P</source>
        <translation>log P</translation>
    </message>
    <message>
        <source>score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>The candidates this node expanded into: the step probability, the cumulative
log-probability of the whole hypothesis and its (length-normalised) score.</source>
        <translation>该节点扩展出的候选：这一步的概率、整个假设的累计
对数概率及其（长度归一化后的）得分。</translation>
    </message>
    <message>
        <source>Finished hypotheses, best score first.</source>
        <translation>已完成的假设，得分最高的在前。</translation>
    </message>
    <message>
        <source>&lt;i&gt;No finished hypothesis yet.&lt;/i&gt;</source>
        <translation>&lt;i&gt;还没有完成的假设。&lt;/i&gt;</translation>
    </message>
    <message>
        <source> (max length)</source>
        <translation>（最大长度）</translation>
    </message>
    <message>
        <source>&lt;br&gt;step %1 · log P %2 · score %3 · %4</source>
        <translation>&lt;br&gt;第 %1 步 · log P %2 · 得分 %3 · %4</translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;i&gt;Not expanded.&lt;/i&gt;</source>
        <translation>&lt;br&gt;&lt;i&gt;未扩展。&lt;/i&gt;</translation>
    </message>
</context>
<context>
    <name>arlab::BeamTreeView</name>
    <message>
        <source>Beam search tree: one column per step. Click a node for its prefix and candidates.
Wheel or Ctrl+= / Ctrl+- to zoom, Ctrl+0 to fit, drag to pan.</source>
        <translation>束搜索树：每一步一列。点击节点查看前缀和候选。
滚轮或 Ctrl+= / Ctrl+- 缩放，Ctrl+0 适应窗口，拖动可平移。</translation>
    </message>
    <message>
        <source>&lt;start&gt;</source>
        <translation>&lt;开始&gt;</translation>
    </message>
    <message>
        <source>score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <source>alive (kept)</source>
        <translation>存活（保留）</translation>
    </message>
    <message>
        <source>pruned</source>
        <translation>已剪枝</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>best hypothesis</source>
        <translation>最佳假设</translation>
    </message>
    <message>
        <source>no search yet</source>
        <translation>还没有搜索</translation>
    </message>
</context>
<context>
    <name>arlab::CompareController</name>
    <message>
        <source>Press Run to compare the strategies on the new model.</source>
        <translation>按“运行”在新模型上比较各策略。</translation>
    </message>
    <message>
        <source>The prompt does not encode: %1</source>
        <translation>提示词无法编码：%1</translation>
    </message>
    <message>
        <source>No text model loaded.</source>
        <translation>尚未加载文本模型。</translation>
    </message>
    <message>
        <source>The comparison failed: %1</source>
        <translation>比较失败：%1</translation>
    </message>
</context>
<context>
    <name>arlab::CompareView</name>
    <message>
        <source>How many sampled rows (seeds seed, seed+1, ...), using the sampling settings.</source>
        <translation>采样行数（种子为 seed, seed+1, ...），使用采样设置。</translation>
    </message>
    <message>
        <source>Beam width of the beam row (0 = no beam row).</source>
        <translation>束搜索行的束宽（0 = 不显示束搜索行）。</translation>
    </message>
    <message>
        <source>Tokens to generate at most per row (every row also stops at the end token).</source>
        <translation>每行最多生成的词元数（每行遇到结束词元也会停止）。</translation>
    </message>
    <message>
        <source>Seed of the first sampled row.</source>
        <translation>第一个采样行的种子。</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Decode the prompt with greedy, beam search and the seeded samples.</source>
        <translation>用贪心解码、束搜索和带种子的采样解码提示词。</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>采样数</translation>
    </message>
    <message>
        <source>Beam width</source>
        <translation>束宽</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>最大词元数</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>decoding…</source>
        <translation>解码中…</translation>
    </message>
    <message>
        <source>nothing compared yet</source>
        <translation>还没有比较</translation>
    </message>
</context>
<context>
    <name>arlab::CrossAttentionView</name>
    <message>
        <source>attention weight</source>
        <translation>注意力权重</translation>
    </message>
    <message>
        <source>source (Chinese)</source>
        <translation>源语言（中文）</translation>
    </message>
    <message>
        <source>target (English), one row per step</source>
        <translation>目标语言（英文），每一步一行</translation>
    </message>
    <message>
        <source>nothing translated yet</source>
        <translation>还没有翻译</translation>
    </message>
</context>
<context>
    <name>arlab::DockExporter</name>
    <message>
        <source>PNG image, 2× for projectors (*.png)</source>
        <translation>PNG 图像，2 倍，用于投影仪 (*.png)</translation>
    </message>
    <message>
        <source>PNG image, 1× (*.png)</source>
        <translation>PNG 图像，1 倍 (*.png)</translation>
    </message>
    <message>
        <source>PNG image, 3× (*.png)</source>
        <translation>PNG 图像，3 倍 (*.png)</translation>
    </message>
    <message>
        <source>SVG vector image (*.svg)</source>
        <translation>SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <source>CSV numbers behind the view (*.csv)</source>
        <translation>视图背后的数字 CSV (*.csv)</translation>
    </message>
    <message>
        <source>&amp;Export dock</source>
        <translation>导出面板(&amp;E)</translation>
    </message>
    <message>
        <source>%1…</source>
        <translation>%1…</translation>
    </message>
    <message>
        <source>Save this dock as PNG, SVG or CSV</source>
        <translation>将此面板保存为 PNG、SVG 或 CSV</translation>
    </message>
    <message>
        <source>(no dock is visible)</source>
        <translation>（没有可见的面板）</translation>
    </message>
    <message>
        <source>Export “%1”…</source>
        <translation>导出“%1”…</translation>
    </message>
    <message>
        <source>Copy image</source>
        <translation>复制图像</translation>
    </message>
    <message>
        <source>the dock &apos;%1&apos; is empty</source>
        <translation>面板“%1”是空的</translation>
    </message>
    <message>
        <source>Export “%1”</source>
        <translation>导出“%1”</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>The dock could not be exported: %1</source>
        <translation>无法导出该面板：%1</translation>
    </message>
    <message>
        <source>Exported “%1” to %2</source>
        <translation>已将“%1”导出到 %2</translation>
    </message>
    <message>
        <source>Copied “%1” to the clipboard (2× resolution)</source>
        <translation>已将“%1”复制到剪贴板（2 倍分辨率）</translation>
    </message>
</context>
<context>
    <name>arlab::FlashGrid</name>
    <message>
        <source>The T x T attention scores of one head. Grey: above the diagonal, masked (the future). Blue: tiles already folded into the running sums. Orange: the tile being computed now. The full matrix is never stored: only one tile exists at a time.</source>
        <translation>一个注意力头的 T × T 注意力分数。灰色：对角线以上，被掩码遮住（未来）。蓝色：已并入累计和的分块。橙色：正在计算的分块。完整矩阵从不存储：任何时刻只存在一个分块。</translation>
    </message>
    <message>
        <source>q \ k</source>
        <translation>q \ k</translation>
    </message>
</context>
<context>
    <name>arlab::FlashView</name>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Animate the tiles one after another.</source>
        <translation>逐个分块播放动画。</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <source>Process the next tile.</source>
        <translation>处理下一个分块。</translation>
    </message>
    <message>
        <source>Jump to any tile.</source>
        <translation>跳到任意分块。</translation>
    </message>
    <message>
        <source>%1. This prompt&apos;s attention op held at most %2 bytes with the tiled kernel and %3 bytes with the standard one, which keeps the whole T x T matrix of every head.</source>
        <translation>%1。对这个提示词，注意力运算在分块内核下最多占用 %2 字节，标准内核占用 %3 字节（标准内核要保存每个头完整的 T × T 矩阵）。</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>&lt;b&gt;Before the first tile.&lt;/b&gt;&lt;br&gt;Every query row starts with m = −∞ and l = 0.</source>
        <translation>&lt;b&gt;第一个分块之前。&lt;/b&gt;&lt;br&gt;每个查询行从 m = −∞、l = 0 开始。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Tile %1 of %2&lt;/b&gt;: queries %3–%4 × keys %5–%6&lt;br&gt;</source>
        <translation>&lt;b&gt;第 %1 个分块（共 %2 个）&lt;/b&gt;：查询 %3–%4 × 键 %5–%6&lt;br&gt;</translation>
    </message>
    <message>
        <source>query</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>before</source>
        <translation>之前</translation>
    </message>
    <message>
        <source>after</source>
        <translation>之后</translation>
    </message>
    <message>
        <source>new max: earlier sums × %1</source>
        <translation>新的最大值：之前的和 × %1</translation>
    </message>
    <message>
        <source>no prompt traced yet</source>
        <translation>尚未追踪任何提示词</translation>
    </message>
</context>
<context>
    <name>arlab::GenerationController</name>
    <message>
        <source>The built-in toy-language model (%1) is not in this build yet; open a model with File &gt; Open model.</source>
        <translation>此版本中还没有内置的玩具语言模型（%1）；请用 文件 &gt; 打开模型 打开一个模型。</translation>
    </message>
    <message>
        <source>The built-in model could not be loaded: %1</source>
        <translation>无法加载内置模型：%1</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>尚未加载模型。</translation>
    </message>
    <message>
        <source>Cannot generate further: %1.</source>
        <translation>无法继续生成：%1。</translation>
    </message>
    <message>
        <source>Token id %1 is outside the vocabulary.</source>
        <translation>词元编号 %1 不在词表中。</translation>
    </message>
    <message>
        <source>The step failed: %1</source>
        <translation>这一步失败了：%1</translation>
    </message>
</context>
<context>
    <name>arlab::GenerationDock</name>
    <message>
        <source>Prompt:</source>
        <translation>提示词：</translation>
    </message>
    <message>
        <source>The text the model continues. Press Enter to start again from it. Words outside the model&apos;s vocabulary are named below in red (they are never dropped).</source>
        <translation>模型要续写的文本。按回车键从它重新开始。不在模型词表中的词会在下方以红色列出（绝不会被悄悄丢掉）。</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <source>Generate one token (Space)</source>
        <translation>生成一个词元（空格）</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Generate tokens one after another at the chosen speed (P)</source>
        <translation>按所选速度一个接一个地生成词元（P）</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>后退</translation>
    </message>
    <message>
        <source>Undo the last token: the exact previous state comes back (Backspace)</source>
        <translation>撤销最后一个词元：精确恢复之前的状态（退格）</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Back to the prompt; the history is cleared (Ctrl+R)</source>
        <translation>回到提示词；清除历史（Ctrl+R）</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Play speed (tokens per second)</source>
        <translation>播放速度（每秒词元数）</translation>
    </message>
    <message>
        <source>%1 tok/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message>
        <source>Branches:</source>
        <translation>分支：</translation>
    </message>
    <message>
        <source>Continuations you left by going back or choosing another token: pick one to follow it again</source>
        <translation>你通过后退或选择其他词元而离开的续写：选择一个可重新沿着它继续</translation>
    </message>
    <message>
        <source>Temperature T: the logits are divided by T before the softmax. T &lt; 1 sharpens the distribution, T &gt; 1 flattens it, T = 0 always takes the most probable token</source>
        <translation>温度 T：在 softmax 之前将 logits 除以 T。T &lt; 1 使分布更尖锐，T &gt; 1 使其更平坦，T = 0 总是选取最可能的词元</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>Top-k: keep only the k most probable tokens and renormalise (off = keep all)</source>
        <translation>Top-k：只保留最可能的 k 个词元并重新归一化（关 = 全部保留）</translation>
    </message>
    <message>
        <source>Top-p (nucleus): keep the most probable tokens until their mass reaches p, renormalise (1 = keep all)</source>
        <translation>Top-p（核采样）：保留最可能的词元，直到它们的概率之和达到 p，再重新归一化（1 = 全部保留）</translation>
    </message>
    <message>
        <source>Seed of the draws: the same seed gives the same tokens</source>
        <translation>抽取的随机种子：相同的种子得到相同的词元</translation>
    </message>
    <message>
        <source>&amp;Temperature</source>
        <translation>温度(&amp;T)</translation>
    </message>
    <message>
        <source>Top-&amp;k</source>
        <translation>Top-&amp;k</translation>
    </message>
    <message>
        <source>Top-&amp;p</source>
        <translation>Top-&amp;p</translation>
    </message>
    <message>
        <source>S&amp;eed</source>
        <translation>种子(&amp;E)</translation>
    </message>
    <message>
        <source>log P(generated | prompt) = Σ log p of the generated tokens (chain rule)</source>
        <translation>log P(生成内容 | 提示词) = 各生成词元的 log p 之和（链式法则）</translation>
    </message>
    <message>
        <source>Not in the model&apos;s vocabulary: %1. The model cannot read %2; change %3.</source>
        <translation>不在模型词表中：%1。模型无法读取%2；请修改%3。</translation>
    </message>
    <message>
        <source>it</source>
        <translation>它</translation>
    </message>
    <message>
        <source>them</source>
        <translation>它们</translation>
    </message>
    <message>
        <source>Fix the prompt to start.</source>
        <translation>请先修正提示词。</translation>
    </message>
    <message>
        <source>Open a model to start.</source>
        <translation>请先打开一个模型。</translation>
    </message>
    <message>
        <source>(%1)</source>
        <translation>（%1）</translation>
    </message>
    <message>
        <source>%1 tokens generated · log P(generated | prompt) = %2 · P = %3</source>
        <translation>已生成 %1 个词元 · log P(生成内容 | 提示词) = %2 · P = %3</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>（还没有）</translation>
    </message>
    <message>
        <source>%1 abandoned</source>
        <translation>已放弃 %1</translation>
    </message>
    <message>
        <source>The prompt cannot be used: %1</source>
        <translation>提示词无法使用：%1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <source>(the next token&apos;s candidates are hidden while the quiz asks)</source>
        <translation>（测验提问期间，下一个词元的候选被隐藏）</translation>
    </message>
</context>
<context>
    <name>arlab::KvCostView</name>
    <message>
        <source>KV cache per layer</source>
        <translation>每层 KV 缓存</translation>
    </message>
    <message>
        <source>tokens fed</source>
        <translation>已输入词元数</translation>
    </message>
    <message>
        <source>bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <source>Keys and values kept for every token fed, per layer: they grow by a fixed number of bytes per token until the context is full. Dashed: what the cache allocated.</source>
        <translation>每层为每个已输入词元保存的键和值：每个词元增加固定的字节数，直到上下文填满。虚线：缓存实际分配的大小。</translation>
    </message>
    <message>
        <source>FLOPs per token</source>
        <translation>每个词元的 FLOPs</translation>
    </message>
    <message>
        <source>position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>FLOPs</source>
        <translation>FLOPs</translation>
    </message>
    <message>
        <source>Matrix-product FLOPs of one decoding step. With the cache only the new token is computed; without it the whole prefix is recomputed at every step.</source>
        <translation>一个解码步骤中矩阵乘法的 FLOPs。有缓存时只计算新词元；没有缓存时每一步都要重新计算整个前缀。</translation>
    </message>
    <message>
        <source>Measured step time</source>
        <translation>实测单步时间</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>Wall-clock time of each step on this computer, with the cache (step) and without it (a full forward over the prefix), the fastest of three runs.</source>
        <translation>本机上每一步的实际耗时：有缓存（单步）和无缓存（对前缀做完整前向），取三次中最快的一次。</translation>
    </message>
    <message>
        <source>KV bytes per token</source>
        <translation>每个词元的 KV 字节数</translation>
    </message>
    <message>
        <source>The same model shape with one key/value head per query head (multi-head), per group of two query heads (grouped-query) or one for all heads (multi-query).</source>
        <translation>同样的模型形状：每个查询头一个键/值头（多头），每两个查询头一组共享一个（分组查询），或所有头共享一个（多查询）。</translation>
    </message>
    <message>
        <source>filled</source>
        <translation>已填充</translation>
    </message>
    <message>
        <source>allocated</source>
        <translation>已分配</translation>
    </message>
    <message>
        <source>with KV cache</source>
        <translation>使用 KV 缓存</translation>
    </message>
    <message>
        <source>without cache</source>
        <translation>不使用缓存</translation>
    </message>
    <message>
        <source>%1: %2 tokens fed of %3. KV cache %4 bytes per layer (%5 for all %6 layers); this step %7 FLOPs with the cache, %8 without.</source>
        <translation>%1：已输入 %2 个词元（上限 %3）。KV 缓存每层 %4 字节（全部 %6 层共 %5）；这一步使用缓存 %7 FLOPs，不使用缓存 %8 FLOPs。</translation>
    </message>
    <message>
        <source>context limit %1</source>
        <translation>上下文上限 %1</translation>
    </message>
</context>
<context>
    <name>arlab::Language</name>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>系统语言</translation>
    </message>
    <message>
        <source>Show the window in %1 (remembered)</source>
        <translation>用 %1 显示窗口（会记住此选择）</translation>
    </message>
    <message>
        <source>Show the window in the system&apos;s language (remembered)</source>
        <translation>用系统语言显示窗口（会记住此选择）</translation>
    </message>
</context>
<context>
    <name>arlab::LensController</name>
    <message>
        <source>No model loaded.</source>
        <translation>尚未加载模型。</translation>
    </message>
    <message>
        <source>The logit lens needs a Transformer&apos;s residual stream; this %1 model has none.</source>
        <translation>对数几率透镜需要 Transformer 的残差流；这个 %1 模型没有残差流。</translation>
    </message>
    <message>
        <source>No position to read: the sequence is empty or fills the model&apos;s context.</source>
        <translation>没有可读取的位置：序列为空，或已占满模型的上下文。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Step %1&lt;/b&gt; (position %2)</source>
        <translation>&lt;b&gt;第 %1 步&lt;/b&gt;（位置 %2）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Next&lt;/b&gt; (position %1)</source>
        <translation>&lt;b&gt;下一个&lt;/b&gt;（位置 %1）</translation>
    </message>
    <message>
        <source>: P(next | %1%2) read after each layer</source>
        <translation>：在每一层之后读出的 P(下一个 | %1%2)</translation>
    </message>
    <message>
        <source> — chose &lt;b&gt;%1&lt;/b&gt;</source>
        <translation> — 选中 &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Computing the lens…</source>
        <translation>正在计算透镜…</translation>
    </message>
    <message>
        <source>embedding</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <source>layer %1 (output)</source>
        <translation>第 %1 层（输出）</translation>
    </message>
    <message>
        <source>layer %1</source>
        <translation>第 %1 层</translation>
    </message>
</context>
<context>
    <name>arlab::LensView</name>
    <message>
        <source>no logit lens yet</source>
        <translation>还没有对数几率透镜</translation>
    </message>
    <message>
        <source>No generated tokens yet: press Space.</source>
        <translation>还没有生成的词元：按空格键。</translation>
    </message>
    <message>
        <source>emb</source>
        <translation>嵌</translation>
    </message>
    <message>
        <source>“%1” (step %2) is not the model&apos;s top-1 at the last layer: it was sampled or forced.</source>
        <translation>“%1”（第 %2 步）在最后一层不是模型的第一名：它是采样或强制得到的。</translation>
    </message>
    <message>
        <source>“%1” (step %2) is top-1 already from the embedding on: every layer keeps it.</source>
        <translation>“%1”（第 %2 步）从嵌入开始就是第一名：每一层都保持不变。</translation>
    </message>
    <message>
        <source>“%1” (step %2) becomes top-1 after layer %3 and stays top-1 to the output.</source>
        <translation>“%1”（第 %2 步）在第 %3 层之后成为第一名，并一直保持到输出。</translation>
    </message>
    <message>
        <source>The selected step of the Generation dock (click a chip there, or in the strip below)</source>
        <translation>“生成”面板中选中的步（点击那里的词块，或下面条带中的词块）</translation>
    </message>
    <message>
        <source>&lt;p&gt;Logit lens: the residual stream after each layer, read through the model&apos;s final norm and unembedding. Each row is the next-token distribution the model would give if it stopped there; the last row is its real output.&lt;/p&gt;</source>
        <translation>&lt;p&gt;对数几率透镜：每一层之后的残差流，经过模型自己的最终归一化和反嵌入读出。每一行是模型如果在那里停下会给出的下一个词元分布；最后一行就是它真正的输出。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Commitment&lt;/b&gt;: for each generated token, the first layer from which it is the top-1 and stays top-1 (dark = early; — = not the model&apos;s top-1, i.e. sampled). Click a token to select its step.</source>
        <translation>&lt;b&gt;锁定层&lt;/b&gt;：对每个生成的词元，从哪一层开始它成为第一名并一直保持（颜色深 = 早；— = 不是模型的第一名，即采样得到）。点击词元可选中它的那一步。</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>尚未加载模型。</translation>
    </message>
    <message>
        <source>%1 (id %2): p = %3 read after %4</source>
        <translation>%1（id %2）：在%4之后读出 p = %3</translation>
    </message>
</context>
<context>
    <name>arlab::Lesson</name>
    <message>
        <source>Decoding</source>
        <translation>解码</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>采样设置</translation>
    </message>
    <message>
        <source>Beam search</source>
        <translation>束搜索</translation>
    </message>
    <message>
        <source>Compare strategies</source>
        <translation>比较解码策略</translation>
    </message>
    <message>
        <source>how the next token is chosen: sampling, beam search, strategies compared</source>
        <translation>下一个词元是怎样选出来的：采样、束搜索、各策略对比</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Pixels</source>
        <translation>像素</translation>
    </message>
    <message>
        <source>MADE masks</source>
        <translation>MADE 掩码</translation>
    </message>
    <message>
        <source>images drawn pixel by pixel: PixelCNN, Gated PixelCNN, MADE</source>
        <translation>逐像素绘制的图像：PixelCNN、门控 PixelCNN、MADE</translation>
    </message>
    <message>
        <source>Transformer</source>
        <translation>Transformer</translation>
    </message>
    <message>
        <source>Generation</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Next token</source>
        <translation>下一个词元</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>generate with TinyGPT one token at a time and look inside</source>
        <translation>用 TinyGPT 一次生成一个词元，并观察其内部</translation>
    </message>
    <message>
        <source>Translation</source>
        <translation>翻译</translation>
    </message>
    <message>
        <source>Beam tree (translator)</source>
        <translation>束搜索树（翻译模型）</translation>
    </message>
    <message>
        <source>Teacher forcing vs free running</source>
        <translation>教师强制与自由运行</translation>
    </message>
    <message>
        <source>RNN inspector</source>
        <translation>RNN 检查器</translation>
    </message>
    <message>
        <source>a recurrent encoder-decoder with attention translating zh-&gt;en</source>
        <translation>带注意力的循环编码器-解码器，把中文翻译成英文</translation>
    </message>
    <message>
        <source>Limits</source>
        <translation>局限</translation>
    </message>
    <message>
        <source>Long-range memory</source>
        <translation>长程记忆</translation>
    </message>
    <message>
        <source>Cost of generating</source>
        <translation>生成的代价</translation>
    </message>
    <message>
        <source>Flash attention</source>
        <translation>Flash 注意力</translation>
    </message>
    <message>
        <source>Mixture of experts</source>
        <translation>混合专家</translation>
    </message>
    <message>
        <source>Positions</source>
        <translation>位置编码</translation>
    </message>
    <message>
        <source>limits of AR models measured: memory, cost, flash attention, experts, positions</source>
        <translation>实测自回归模型的局限：记忆、代价、Flash 注意力、专家、位置</translation>
    </message>
    <message>
        <source>Parallel</source>
        <translation>并行</translation>
    </message>
    <message>
        <source>One word at a time vs all at once</source>
        <translation>逐词生成与一次生成</translation>
    </message>
    <message>
        <source>Quality vs sequential passes</source>
        <translation>质量与顺序计算遍数</translation>
    </message>
    <message>
        <source>Speculative decoding</source>
        <translation>推测解码</translation>
    </message>
    <message>
        <source>non-autoregressive translation, Mask-Predict, semi-AR and speculative decoding</source>
        <translation>非自回归翻译、Mask-Predict、半自回归与推测解码</translation>
    </message>
    <message>
        <source>Quiz</source>
        <translation>测验</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <source>Logit lens</source>
        <translation>对数几率透镜</translation>
    </message>
</context>
<context>
    <name>arlab::LimitsController</name>
    <message>
        <source>Training %1 on the recall task...</source>
        <translation>正在回忆任务上训练 %1……</translation>
    </message>
    <message>
        <source>Training %1: step %2 of %3, recall loss %4</source>
        <translation>训练 %1：第 %2 步（共 %3 步），回忆损失 %4</translation>
    </message>
    <message>
        <source>%1 retrained (%2 steps%3): validation recall loss %4 nats.</source>
        <translation>%1 已重新训练（%2 步%3）：验证集回忆损失 %4 奈特。</translation>
    </message>
    <message>
        <source>, stopped</source>
        <translation>，已停止</translation>
    </message>
    <message>
        <source>q · k</source>
        <translation>q · k</translation>
    </message>
    <message>
        <source>%1  %2</source>
        <translation>%1  %2</translation>
    </message>
    <message>
        <source>%1: log10 |∂h_t / ∂x₀| per unit, after each token</source>
        <translation>%1：每个词元之后各单元的 log10 |∂h_t / ∂x₀|</translation>
    </message>
    <message>
        <source>multi-head</source>
        <translation>多头</translation>
    </message>
    <message>
        <source>grouped-query</source>
        <translation>分组查询</translation>
    </message>
    <message>
        <source>multi-query</source>
        <translation>多查询</translation>
    </message>
    <message>
        <source>%1
%2 key/value heads</source>
        <translation>%1
%2 个键/值头</translation>
    </message>
    <message>
        <source>%1: sliding window past the limit</source>
        <translation>%1：超过上限后用滑动窗口</translation>
    </message>
    <message>
        <source>sinusoidal</source>
        <translation>正弦</translation>
    </message>
    <message>
        <source>RoPE</source>
        <translation>RoPE</translation>
    </message>
    <message>
        <source>learned positions: hard stop at the limit</source>
        <translation>可学习位置：在上限处直接停止</translation>
    </message>
    <message>
        <source>At the context limit (%1 tokens) a learned-position model has no position left: generation stops (&quot;context of %1 tokens is full&quot;). Sinusoidal and RoPE models can go on with a sliding window: the last %1 tokens re-fed from position 0.</source>
        <translation>到达上下文上限（%1 个词元）时，可学习位置的模型已没有可用的位置：生成停止（“context of %1 tokens is full”）。正弦和 RoPE 模型可以用滑动窗口继续：把最后 %1 个词元从位置 0 重新输入。</translation>
    </message>
    <message>
        <source> %1: mean NLL %2 inside, %3 past the limit.</source>
        <translation> %1：上限以内平均 NLL %2，超过上限后 %3。</translation>
    </message>
    <message>
        <source>Training %1 failed: %2</source>
        <translation>训练 %1 失败：%2</translation>
    </message>
    <message>
        <source>This view could not be computed: %1</source>
        <translation>无法计算此视图：%1</translation>
    </message>
</context>
<context>
    <name>arlab::MadeConnectivityView</name>
    <message>
        <source>no MADE model loaded</source>
        <translation>尚未加载 MADE 模型</translation>
    </message>
    <message>
        <source>inputs (m = position in the ordering)</source>
        <translation>输入（m = 在顺序中的位置）</translation>
    </message>
    <message>
        <source>outputs: p(x_d | inputs with m &lt; m_d)</source>
        <translation>输出：p(x_d | m &lt; m_d 的输入)</translation>
    </message>
</context>
<context>
    <name>arlab::MadeController</name>
    <message>
        <source>Mask set %1 (%2 ordering). The pretrained MADE was trained with %3 mask set(s), 0–%4, natural ordering: %5</source>
        <translation>掩码组 %1（%2顺序）。预训练的 MADE 用 %3 组掩码（0–%4，自然顺序）训练：%5</translation>
    </message>
    <message>
        <source>natural</source>
        <translation>自然</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>these masks were seen in training, so the samples look like digits.</source>
        <translation>这些掩码在训练中见过，所以样本看起来像数字。</translation>
    </message>
    <message>
        <source>these masks were NEVER seen in training: the same weights now connect different units, and the samples fall apart.</source>
        <translation>这些掩码在训练中从未见过：同样的权重现在连接着不同的单元，样本就散架了。</translation>
    </message>
    <message>
        <source>The model could not be loaded: %1</source>
        <translation>无法加载模型：%1</translation>
    </message>
</context>
<context>
    <name>arlab::MadePanel</name>
    <message>
        <source>natural ordering (raster)</source>
        <translation>自然顺序（逐行扫描）</translation>
    </message>
    <message>
        <source>random ordering</source>
        <translation>随机顺序</translation>
    </message>
    <message>
        <source>Resample masks</source>
        <translation>重新抽取掩码</translation>
    </message>
    <message>
        <source>New samples</source>
        <translation>新样本</translation>
    </message>
    <message>
        <source>A MADE on 784 pixels has 470,000 masked connections, so the picture shows a MADE built by the same rules on a 3×3 image (9 inputs, two hidden layers of 8). Each node shows its connectivity number m. A hidden unit sees a unit below iff its m is ≥ that unit&apos;s m; output d sees a hidden unit iff m_d &gt; its m. Click a node to highlight everything it may see.</source>
        <translation>784 个像素上的 MADE 有 470,000 条掩码连接，所以这里画的是按同样规则在 3×3 图像上构建的 MADE（9 个输入，两个各有 8 个单元的隐藏层）。每个节点显示它的连接编号 m。隐藏单元能看到下层某单元，当且仅当它的 m ≥ 该单元的 m；输出 d 能看到某隐藏单元，当且仅当 m_d &gt; 该单元的 m。点击节点可高亮它能看到的一切。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Samples of the pretrained 784-input MADE with these masks&lt;/b&gt;</source>
        <translation>&lt;b&gt;使用这些掩码的预训练 784 输入 MADE 的样本&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>arlab::MainWindow</name>
    <message>
        <source>arlab — autoregressive models, one token at a time</source>
        <translation>arlab — 自回归模型，一次一个词元</translation>
    </message>
    <message>
        <source>Show the %1 lesson</source>
        <translation>显示“%1”课</translation>
    </message>
    <message>
        <source>Show the docks of the %1 lesson</source>
        <translation>显示“%1”课的各个面板</translation>
    </message>
    <message>
        <source>Show or hide the %1 dock</source>
        <translation>显示或隐藏“%1”面板</translation>
    </message>
    <message>
        <source>Lesson: %1</source>
        <translation>课程：%1</translation>
    </message>
    <message>
        <source>Opened %1 (%2)</source>
        <translation>已打开 %1（%2）</translation>
    </message>
    <message>
        <source>Cannot open model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <source>&lt;p&gt;%1 could not be opened. The current model is unchanged.&lt;/p&gt;&lt;p&gt;%2&lt;/p&gt;</source>
        <translation>&lt;p&gt;无法打开 %1。当前模型保持不变。&lt;/p&gt;&lt;p&gt;%2&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Open model failed: %1</source>
        <translation>打开模型失败：%1</translation>
    </message>
    <message>
        <source>no model</source>
        <translation>无模型</translation>
    </message>
    <message>
        <source>Model: %1 (%2)</source>
        <translation>模型：%1（%2）</translation>
    </message>
    <message>
        <source>Position %1 / %2</source>
        <translation>位置 %1 / %2</translation>
    </message>
    <message>
        <source>Position %1</source>
        <translation>位置 %1</translation>
    </message>
    <message>
        <source>prompt not usable</source>
        <translation>提示词不可用</translation>
    </message>
    <message>
        <source>&amp;Open model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Quit arlab (the dock layout is saved)</source>
        <translation>退出 arlab（面板布局会被保存）</translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <source>Put the docks of this lesson back where they started</source>
        <translation>把本课的面板放回初始位置</translation>
    </message>
    <message>
        <source>Layout of the %1 lesson reset</source>
        <translation>“%1”课的布局已重置</translation>
    </message>
    <message>
        <source>&amp;Full screen</source>
        <translation>全屏(&amp;F)</translation>
    </message>
    <message>
        <source>Fill the screen (for the projector)</source>
        <translation>占满屏幕（用于投影仪）</translation>
    </message>
    <message>
        <source>&amp;About arlab</source>
        <translation>关于 arlab(&amp;A)</translation>
    </message>
    <message>
        <source>What arlab is, its version and its libraries</source>
        <translation>arlab 是什么、它的版本和所用的库</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Lesson</source>
        <translation>课程(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 &amp;Qt</translation>
    </message>
    <message>
        <source>The model in use</source>
        <translation>正在使用的模型</translation>
    </message>
    <message>
        <source>Tokens in the sequence / the model&apos;s context length</source>
        <translation>序列中的词元数 / 模型的上下文长度</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>About arlab</source>
        <translation>关于 arlab</translation>
    </message>
    <message>
        <source>&lt;h3&gt;arlab %1&lt;/h3&gt;&lt;p&gt;AR Lab teaches &lt;b&gt;autoregressive generative models&lt;/b&gt;: the chain rule P(x) = &amp;prod; P(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;&amp;lt;i&lt;/sub&gt;), shown live, one token or one pixel at a time, on small models that train in seconds.&lt;/p&gt;&lt;p&gt;Qt %2 (built with %3) &amp;middot; Eigen %4.%5.%6 &amp;middot; QCustomPlot %7&lt;/p&gt;</source>
        <translation>&lt;h3&gt;arlab %1&lt;/h3&gt;&lt;p&gt;AR Lab 讲授&lt;b&gt;自回归生成模型&lt;/b&gt;：链式法则 P(x) = &amp;prod; P(x&lt;sub&gt;i&lt;/sub&gt; | x&lt;sub&gt;&amp;lt;i&lt;/sub&gt;)，在几秒钟就能训练好的小模型上实时演示，一次一个词元或一个像素。&lt;/p&gt;&lt;p&gt;Qt %2（编译时为 %3）&amp;middot; Eigen %4.%5.%6 &amp;middot; QCustomPlot %7&lt;/p&gt;</translation>
    </message>
    <message>
        <source>model &apos;%1&apos;: no lesson opens %2 models (kind &apos;%3&apos;)</source>
        <translation>模型“%1”：没有课程能打开 %2 模型（类型“%3”）</translation>
    </message>
    <message>
        <source>model &apos;%1&apos;: the %2 lesson could not be built</source>
        <translation>模型“%1”：无法构建“%2”课</translation>
    </message>
    <message>
        <source>opening &apos;%1&apos; was cancelled</source>
        <translation>已取消打开“%1”</translation>
    </message>
    <message>
        <source>Opening %1 cancelled; the current model stays</source>
        <translation>已取消打开 %1；当前模型保持不变</translation>
    </message>
    <message>
        <source>&amp;Open model… (reading %1)</source>
        <translation>打开模型(&amp;O)…（正在读取 %1）</translation>
    </message>
    <message>
        <source>Reading %1… %2 s</source>
        <translation>正在读取 %1… %2 秒</translation>
    </message>
    <message>
        <source>Open a model file or folder: arlab .safetensors, a GPT-2 folder (Hugging Face layout) or a llama2.c checkpoint</source>
        <translation>打开模型文件或文件夹：arlab .safetensors、GPT-2 文件夹（Hugging Face 格式）或 llama2.c 检查点</translation>
    </message>
    <message>
        <source>The model is read in the background; the window stays usable with the current model</source>
        <translation>模型在后台读取；窗口仍可使用当前模型</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop opening this model and keep the current one</source>
        <translation>停止打开这个模型，保留当前模型</translation>
    </message>
    <message>
        <source>The version of Qt that arlab runs on, and its licence</source>
        <translation>arlab 所用 Qt 的版本及其许可证</translation>
    </message>
</context>
<context>
    <name>arlab::MemoryView</name>
    <message>
        <source>Recall accuracy</source>
        <translation>回忆准确率</translation>
    </message>
    <message>
        <source>distance d (fillers between key and query)</source>
        <translation>距离 d（键与查询之间的填充词元数）</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>The share of episodes in which the model&apos;s most likely next token after &apos;?&apos; is the key it read d + 1 steps earlier. Chance is 1/8.</source>
        <translation>在“?”之后模型最可能的下一个词元恰好是 d + 1 步之前读到的键的比例。随机猜测为 1/8。</translation>
    </message>
    <message>
        <source>Gradient reaching the key</source>
        <translation>传到键的梯度</translation>
    </message>
    <message>
        <source>distance d</source>
        <translation>距离 d</translation>
    </message>
    <message>
        <source>‖∂ loss / ∂ x₀‖</source>
        <translation>‖∂ 损失 / ∂ x₀‖</translation>
    </message>
    <message>
        <source>How strongly the recall loss can still change the key&apos;s input vector, measured by a backward pass on the trained model. A falling line is the vanishing gradient.</source>
        <translation>回忆损失还能在多大程度上改变键的输入向量，由训练好的模型的反向传播测得。下降的曲线就是梯度消失。</translation>
    </message>
    <message>
        <source>Hidden state across the fillers</source>
        <translation>填充词元期间的隐藏状态</translation>
    </message>
    <message>
        <source>hidden unit</source>
        <translation>隐藏单元</translation>
    </message>
    <message>
        <source>time step</source>
        <translation>时间步</translation>
    </message>
    <message>
        <source>Which model to train again on the recall task (the curves then show the new one).</source>
        <translation>在回忆任务上重新训练哪个模型（之后曲线显示新模型）。</translation>
    </message>
    <message>
        <source>Which recurrent model&apos;s hidden state to show.</source>
        <translation>显示哪个循环模型的隐藏状态。</translation>
    </message>
    <message>
        <source>d = </source>
        <translation>d = </translation>
    </message>
    <message>
        <source>Fillers between the key and the query in the episode shown.</source>
        <translation>所示样例中键与查询之间的填充词元数。</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>开始训练</translation>
    </message>
    <message>
        <source>Train the chosen model from scratch on the recall task, in the background (about 1500 steps).</source>
        <translation>在后台从头开始在回忆任务上训练所选模型（约 1500 步）。</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop training; the curves keep the shipped model.</source>
        <translation>停止训练；曲线保留内置模型的结果。</translation>
    </message>
    <message>
        <source>Shipped models: RNN, LSTM, GRU and TinyGPT, about 7 000 parameters each.</source>
        <translation>内置模型：RNN、LSTM、GRU 和 TinyGPT，各约 7000 个参数。</translation>
    </message>
    <message>
        <source>Retrain</source>
        <translation>重新训练</translation>
    </message>
    <message>
        <source>Hidden state of</source>
        <translation>隐藏状态：</translation>
    </message>
    <message>
        <source>no curves computed yet</source>
        <translation>尚未计算任何曲线</translation>
    </message>
    <message>
        <source>How strongly the key still reaches each unit of the hidden state after each token (key, fillers, &apos;?&apos;): log10 |∂h_t / ∂x₀|, measured by backward passes on the trained model. Bright: the key still moves this unit; dark: its influence has vanished. The number after each token is the norm over all units.</source>
        <translation>读入每个词元（键、填充词元、“?”）之后，键对隐藏状态每个单元的影响还有多强：log10 |∂h_t / ∂x₀|，通过在训练好的模型上做反向传播测得。亮：键仍能改变这个单元；暗：它的影响已经消失。每个词元后的数字是所有单元上的范数。</translation>
    </message>
    <message>
        <source>%1 (= %2)</source>
        <translation>%1（= %2）</translation>
    </message>
    <message>
        <source>log10 |∂h / ∂x₀|</source>
        <translation>log10 |∂h / ∂x₀|</translation>
    </message>
</context>
<context>
    <name>arlab::ModelFiles</name>
    <message>
        <source>&apos;%1&apos; does not exist</source>
        <translation>“%1”不存在</translation>
    </message>
    <message>
        <source>GPT-2 (Hugging Face layout): %1</source>
        <translation>GPT-2（Hugging Face 格式）：%1</translation>
    </message>
    <message>
        <source>%1 layers, %2 heads (%3 KV), dim %4, vocabulary %5</source>
        <translation>%1 层，%2 个头（%3 个 KV 头），宽度 %4，词表 %5</translation>
    </message>
    <message>
        <source>llama2.c checkpoint %1 (%2): tokenizer.bin not found next to %1 — choose a tokenizer</source>
        <translation>llama2.c 检查点 %1（%2）：%1 旁边没有找到 tokenizer.bin —— 请选择一个分词器</translation>
    </message>
    <message>
        <source>llama2.c checkpoint %1 (%2) with the tokenizer.bin next to it</source>
        <translation>llama2.c 检查点 %1（%2），使用它旁边的 tokenizer.bin</translation>
    </message>
    <message>
        <source>folder &apos;%1&apos; holds no model</source>
        <translation>文件夹“%1”里没有模型</translation>
    </message>
    <message>
        <source>arlab model file %1</source>
        <translation>arlab 模型文件 %1</translation>
    </message>
    <message>
        <source>the folder holds no model files</source>
        <translation>该文件夹中没有模型文件</translation>
    </message>
    <message>
        <source>read error</source>
        <translation>读取错误</translation>
    </message>
</context>
<context>
    <name>arlab::ModelInfoView</name>
    <message>
        <source>no model loaded</source>
        <translation>尚未加载模型</translation>
    </message>
    <message>
        <source>The model&apos;s architecture, parameter counts and where it came from (file metadata)</source>
        <translation>模型的结构、参数数量及其来源（文件元数据）</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>尚未加载模型。</translation>
    </message>
    <message>
        <source>Provenance</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Config (as arlab stores it)</source>
        <translation>配置（arlab 存储的形式）</translation>
    </message>
    <message>
        <source>Parameters: %1</source>
        <translation>参数：%1</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>词表</translation>
    </message>
</context>
<context>
    <name>arlab::MoeRoutingCanvas</name>
    <message>
        <source>layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <source>Each column is a token, each band a layer. The coloured blocks are the experts the router chose for that token; a block&apos;s height is its gate (the chosen gates sum to 1). Right: how many tokens each expert (numbered from 1) took in each layer.</source>
        <translation>每一列是一个词元，每一条带是一层。彩色块是路由器为该词元选择的专家；块的高度是其门控值（所选门控之和为 1）。右侧：每层中每个专家（从 1 开始编号）接收了多少词元。</translation>
    </message>
</context>
<context>
    <name>arlab::MoeRoutingView</name>
    <message>
        <source>a sentence of the toy language</source>
        <translation>玩具语言中的一句话</translation>
    </message>
    <message>
        <source>Type a text in the toy language&apos;s words and press Enter to see where each token is routed.</source>
        <translation>用玩具语言的单词输入一段文本并按回车，查看每个词元被路由到哪里。</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>%1 experts per layer, each token goes to %2 of them: %3 of %4 parameters are used per token (%5 %).</source>
        <translation>每层 %1 个专家，每个词元进入其中 %2 个：每个词元使用 %4 个参数中的 %3 个（%5 %）。</translation>
    </message>
</context>
<context>
    <name>arlab::NextTokenView</name>
    <message>
        <source>no distribution yet</source>
        <translation>还没有分布</translation>
    </message>
    <message>
        <source>The distribution the model gave for this position</source>
        <translation>模型在此位置给出的分布</translation>
    </message>
    <message>
        <source>Top %1 tokens and &quot;other&quot;. Grey ghost bars: probability before the filters; orange: the chosen token; black outline: the true probability (toy language)</source>
        <translation>前 %1 个词元和“其他”。灰色虚影柱：过滤前的概率；橙色：选中的词元；黑色轮廓：真实概率（玩具语言）</translation>
    </message>
    <message>
        <source>before the filters</source>
        <translation>过滤之前</translation>
    </message>
    <message>
        <source>model</source>
        <translation>模型概率</translation>
    </message>
    <message>
        <source>chosen</source>
        <translation>选中</translation>
    </message>
    <message>
        <source>true probability</source>
        <translation>真实概率</translation>
    </message>
    <message>
        <source>Entropy H = -Σ p log p (nats) of the shown distribution; perplexity = exp(H), the number of equally likely tokens with the same uncertainty. KL(true ‖ model) = Σ p_true log(p_true / p_model): how far the model is from the truth</source>
        <translation>所示分布的熵 H = -Σ p log p（奈特）；困惑度 = exp(H)，即具有相同不确定性的等可能词元的个数。KL(真实 ‖ 模型) = Σ p_真实 log(p_真实 / p_模型)：模型离真实分布有多远</translation>
    </message>
    <message>
        <source>No distribution yet.</source>
        <translation>还没有分布。</translation>
    </message>
    <message>
        <source>logits</source>
        <translation>logits</translation>
    </message>
    <message>
        <source>softmax</source>
        <translation>softmax</translation>
    </message>
    <message>
        <source>The model&apos;s raw scores (logits) for each token</source>
        <translation>模型给每个词元的原始分数 (logits)</translation>
    </message>
    <message>
        <source>softmax(logits): the model&apos;s probabilities before any sampler filter</source>
        <translation>softmax(logits)：经过任何采样过滤之前模型给出的概率</translation>
    </message>
    <message>
        <source>After %1: %2 candidates kept, %3 removed, probabilities renormalised</source>
        <translation>经过%1之后：保留 %2 个候选，去掉 %3 个，概率已重新归一化</translation>
    </message>
    <message>
        <source>→ %1: off</source>
        <translation>→ %1：关</translation>
    </message>
    <message>
        <source>These sampler stages are switched off, so they change nothing; turn them on to see what they cut (Generation dock: temperature, top-k, top-p)</source>
        <translation>这些采样阶段已关闭，不做任何改变；打开它们可以看到它们去掉了什么（生成面板：温度、top-k、top-p）</translation>
    </message>
    <message>
        <source>(other)</source>
        <translation>（其他）</translation>
    </message>
    <message>
        <source>logit</source>
        <translation>logit</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;: entropy %2 nats · perplexity %3</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;：熵 %2 奈特 · 困惑度 %3</translation>
    </message>
    <message>
        <source> · %1 of %2 tokens kept</source>
        <translation> · 保留了 %2 个词元中的 %1 个</translation>
    </message>
    <message>
        <source> · chosen &lt;b&gt;%1&lt;/b&gt; (model p = %2)</source>
        <translation> · 选中 &lt;b&gt;%1&lt;/b&gt;（模型 p = %2）</translation>
    </message>
    <message>
        <source>&lt;br&gt;KL(true ‖ model) = &lt;b&gt;%1&lt;/b&gt; nats</source>
        <translation>&lt;br&gt;KL(真实 ‖ 模型) = &lt;b&gt;%1&lt;/b&gt; 奈特</translation>
    </message>
    <message>
        <source>&lt;br&gt;true distribution: shown as black outlines</source>
        <translation>&lt;br&gt;真实分布：以黑色轮廓显示</translation>
    </message>
</context>
<context>
    <name>arlab::OpenModelDialog</name>
    <message>
        <source>Open model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>a model file or a model folder</source>
        <translation>模型文件或模型文件夹</translation>
    </message>
    <message>
        <source>&lt;p&gt;An arlab model (.safetensors), a GPT-2 folder in the Hugging Face layout (model.safetensors, config.json, vocab.json + merges.txt or tokenizer.json), or a llama2.c checkpoint (.bin) with tokenizer.bin next to it. Nothing is downloaded: use the files you have.&lt;/p&gt;</source>
        <translation>&lt;p&gt;arlab 模型（.safetensors）、Hugging Face 格式的 GPT-2 文件夹（model.safetensors、config.json、vocab.json + merges.txt 或 tokenizer.json），或旁边带有 tokenizer.bin 的 llama2.c 检查点（.bin）。不会下载任何东西：请使用你已有的文件。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;File…</source>
        <translation>文件(&amp;F)…</translation>
    </message>
    <message>
        <source>Choose a model file: arlab .safetensors, GPT-2 model.safetensors or a llama2.c .bin</source>
        <translation>选择模型文件：arlab .safetensors、GPT-2 的 model.safetensors 或 llama2.c 的 .bin</translation>
    </message>
    <message>
        <source>F&amp;older…</source>
        <translation>文件夹(&amp;O)…</translation>
    </message>
    <message>
        <source>Choose a model folder: a GPT-2 folder, or a folder holding one llama2.c checkpoint</source>
        <translation>选择模型文件夹：GPT-2 文件夹，或包含一个 llama2.c 检查点的文件夹</translation>
    </message>
    <message>
        <source>tokenizer.bin next to the checkpoint</source>
        <translation>检查点旁边的 tokenizer.bin</translation>
    </message>
    <message>
        <source>A llama2.c tokenizer.bin to use instead of the one next to the checkpoint (its vocabulary size must match the checkpoint&apos;s)</source>
        <translation>代替检查点旁边那个的 llama2.c tokenizer.bin（其词表大小必须与检查点一致）</translation>
    </message>
    <message>
        <source>&amp;Tokenizer…</source>
        <translation>分词器(&amp;T)…</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Tokenizer:</source>
        <translation>分词器：</translation>
    </message>
    <message>
        <source>Open model file</source>
        <translation>打开模型文件</translation>
    </message>
    <message>
        <source>Models (*.safetensors *.bin);;All files (*)</source>
        <translation>模型 (*.safetensors *.bin);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open model folder</source>
        <translation>打开模型文件夹</translation>
    </message>
    <message>
        <source>Choose a llama2.c tokenizer</source>
        <translation>选择 llama2.c 分词器</translation>
    </message>
    <message>
        <source>llama2.c tokenizers (*.bin);;All files (*)</source>
        <translation>llama2.c 分词器 (*.bin);;所有文件 (*)</translation>
    </message>
    <message>
        <source>tokenizer &apos;%1&apos; is not a file</source>
        <translation>分词器“%1”不是文件</translation>
    </message>
    <message>
        <source>Choose a model file or folder.</source>
        <translation>请选择模型文件或文件夹。</translation>
    </message>
</context>
<context>
    <name>arlab::ParallelController</name>
    <message>
        <source>The LSTM translator could not be loaded: %1</source>
        <translation>无法加载 LSTM 翻译模型：%1</translation>
    </message>
    <message>
        <source>early checkpoint (400 steps)</source>
        <translation>早期检查点（400 步）</translation>
    </message>
    <message>
        <source>fully trained</source>
        <translation>完全训练</translation>
    </message>
    <message>
        <source>The parallel translator could not be loaded: %1</source>
        <translation>无法加载并行翻译模型：%1</translation>
    </message>
    <message>
        <source>The speculative decoding models could not be loaded: %1</source>
        <translation>无法加载推测解码模型：%1</translation>
    </message>
    <message>
        <source>Type a Chinese sentence, words separated by spaces (or pick an example).</source>
        <translation>请输入一个中文句子，词之间用空格分隔（或选择一个示例）。</translation>
    </message>
    <message>
        <source>AR (the LSTM translator): one word per pass</source>
        <translation>自回归（LSTM 翻译模型）：每遍计算生成一个词</translation>
    </message>
    <message>
        <source>Fully parallel (NAT): every word in one pass</source>
        <translation>完全并行（非自回归）：一遍计算生成所有词</translation>
    </message>
    <message>
        <source>Mask-Predict, K = %1</source>
        <translation>Mask-Predict，K = %1</translation>
    </message>
    <message>
        <source>Semi-autoregressive, blocks of k = %1</source>
        <translation>半自回归，每块 k = %1 个词</translation>
    </message>
    <message>
        <source>The parallel translator predicts the length first: %1 words (p %2).</source>
        <translation>并行翻译模型先预测长度：%1 个词（p %2）。</translation>
    </message>
    <message>
        <source>Reference: “%1” (%2 words).</source>
        <translation>标准答案：“%1”（%2 个词）。</translation>
    </message>
    <message>
        <source>This sentence is not in the corpus: there is no reference translation to compare with.</source>
        <translation>这个句子不在语料库中：没有可比较的标准答案。</translation>
    </message>
    <message>
        <source>Translating…</source>
        <translation>正在翻译…</translation>
    </message>
    <message>
        <source>Loading the translators…</source>
        <translation>正在加载翻译模型…</translation>
    </message>
    <message>
        <source>AR (LSTM)</source>
        <translation>自回归（LSTM）</translation>
    </message>
    <message>
        <source>NAT (one pass)</source>
        <translation>非自回归（一遍）</translation>
    </message>
    <message>
        <source>Mask-Predict</source>
        <translation>Mask-Predict</translation>
    </message>
    <message>
        <source>semi-AR</source>
        <translation>半自回归</translation>
    </message>
    <message>
        <source>%1: the whole test set (%2 sentences).</source>
        <translation>%1：整个测试集（%2 个句子）。</translation>
    </message>
    <message>
        <source>%1: translating the %2 test sentences in every mode (in the background)…</source>
        <translation>%1：正在后台用每种方式翻译 %2 个测试句子…</translation>
    </message>
    <message>
        <source>%1: %2 of %3 modes done…</source>
        <translation>%1：已完成 %2 / %3 种方式…</translation>
    </message>
    <message>
        <source>Timing plain AR and speculative decoding for γ = 1..8 (in the background)…</source>
        <translation>正在后台计时普通自回归与 γ = 1..8 的推测解码…</translation>
    </message>
</context>
<context>
    <name>arlab::ParallelDecodeView</name>
    <message>
        <source>pass %1</source>
        <translation>第 %1 遍</translation>
    </message>
    <message>
        <source>input of pass %1</source>
        <translation>第 %1 遍的输入</translation>
    </message>
    <message>
        <source>after %1</source>
        <translation>%1 遍后</translation>
    </message>
    <message>
        <source>no output</source>
        <translation>没有输出</translation>
    </message>
    <message>
        <source>repeated: %1</source>
        <translation>重复：%1</translation>
    </message>
    <message>
        <source>missing: %1</source>
        <translation>缺少：%1</translation>
    </message>
    <message>
        <source>not the reference translation</source>
        <translation>与标准答案不同</translation>
    </message>
    <message>
        <source>done after 1 sequential pass</source>
        <translation>1 遍顺序计算后完成</translation>
    </message>
    <message>
        <source>done after %1 sequential passes</source>
        <translation>%1 遍顺序计算后完成</translation>
    </message>
    <message>
        <source>the reference translation</source>
        <translation>译文即标准答案</translation>
    </message>
    <message>
        <source>pass %1 of %2</source>
        <translation>第 %1 遍，共 %2 遍</translation>
    </message>
    <message>
        <source>colour = the model&apos;s confidence (red low, green high) · thick border = predicted in this pass · ↻ = re-masked for the next pass · red frame = a repeated word</source>
        <translation>颜色 = 模型的置信度（红色低，绿色高）· 粗边框 = 本遍预测的词 · ↻ = 下一遍重新掩码 · 红框 = 重复的词</translation>
    </message>
    <message>
        <source>Chinese:</source>
        <translation>中文：</translation>
    </message>
    <message>
        <source>words separated by spaces, e.g. 我 爱 你</source>
        <translation>词之间用空格分隔，例如 我 爱 你</translation>
    </message>
    <message>
        <source>The sentence every mode translates. Words outside the translators&apos; vocabulary are named below in red.</source>
        <translation>每种方式都翻译这个句子。不在翻译模型词表中的词会在下方以红色列出。</translation>
    </message>
    <message>
        <source>Sentences of the test set (never seen in training)</source>
        <translation>测试集中的句子（训练时从未见过）</translation>
    </message>
    <message>
        <source>Parallel translator:</source>
        <translation>并行翻译模型：</translation>
    </message>
    <message>
        <source>The non-autoregressive (CMLM) translator behind the parallel rows. The early checkpoint still stutters in one pass; the fully trained one does not.</source>
        <translation>并行各行所用的非自回归（CMLM）翻译模型。早期检查点一遍计算时仍会重复词语；完全训练的模型不会。</translation>
    </message>
    <message>
        <source>Mask-Predict iterations K:</source>
        <translation>Mask-Predict 迭代次数 K：</translation>
    </message>
    <message>
        <source>Mask-Predict runs K passes: after pass t it re-masks the ⌊T(K−t)/K⌋ least confident words and predicts them again</source>
        <translation>Mask-Predict 计算 K 遍：第 t 遍之后，把置信度最低的 ⌊T(K−t)/K⌋ 个词重新掩码并再次预测</translation>
    </message>
    <message>
        <source>Next pass</source>
        <translation>下一遍</translation>
    </message>
    <message>
        <source>One more sequential model pass for every mode (Space)</source>
        <translation>每种方式再进行一遍顺序的模型计算（空格键）</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Step through the passes one after another</source>
        <translation>一遍接一遍地自动播放</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Back to before the first pass</source>
        <translation>回到第一遍之前</translation>
    </message>
    <message>
        <source>Sequential model passes so far: every mode is shown after this many passes</source>
        <translation>目前的顺序模型计算遍数：每种方式都显示这么多遍之后的状态</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Examples</source>
        <translation>示例</translation>
    </message>
    <message>
        <source>%1 of %2 sequential passes</source>
        <translation>顺序计算 %1 / %2 遍</translation>
    </message>
    <message>
        <source>no sentence translated yet</source>
        <translation>还没有翻译任何句子</translation>
    </message>
</context>
<context>
    <name>arlab::ParallelQualityView</name>
    <message>
        <source>Each point is one decoding mode over the whole test set: how many sequential model passes a sentence needed on average (x) and how good the translations were (y).</source>
        <translation>每个点是一种解码方式在整个测试集上的结果：每个句子平均需要多少遍顺序的模型计算（x），以及翻译的质量（y）。</translation>
    </message>
    <message>
        <source>Exact match</source>
        <translation>完全匹配</translation>
    </message>
    <message>
        <source>sequential passes per sentence</source>
        <translation>每句的顺序计算遍数</translation>
    </message>
    <message>
        <source>exact match (%)</source>
        <translation>完全匹配（%）</translation>
    </message>
    <message>
        <source>Word accuracy</source>
        <translation>词准确率</translation>
    </message>
    <message>
        <source>word accuracy (%)</source>
        <translation>词准确率（%）</translation>
    </message>
    <message>
        <source>mode</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>passes / sentence</source>
        <translation>遍数 / 句</translation>
    </message>
    <message>
        <source>exact match</source>
        <translation>完全匹配率</translation>
    </message>
    <message>
        <source>word accuracy</source>
        <translation>逐词准确率</translation>
    </message>
    <message>
        <source>repeated words</source>
        <translation>重复词</translation>
    </message>
    <message>
        <source>Repeated words: the share of outputs with two equal neighbouring words (no reference translation has any)</source>
        <translation>重复词：输出中出现两个相邻相同词的比例（标准答案中没有这种情况）</translation>
    </message>
    <message>
        <source>the test set is still being translated</source>
        <translation>测试集仍在翻译中</translation>
    </message>
</context>
<context>
    <name>arlab::PixelController</name>
    <message>
        <source>The orange overlay is MEASURED, not drawn from a formula: it is |∂ logit(next pixel) / ∂ input| from one backward pass through the real network. Plain PixelCNN misses a wedge up and to the right (its blind spot); the gated PixelCNN sees the whole past; MADE sees exactly the pixels before it.</source>
        <translation>橙色覆盖层是测量出来的，不是按公式画的：它是真实网络一次反向传播得到的 |∂ logit(下一个像素) / ∂ 输入|。普通 PixelCNN 漏掉了右上方的一块楔形区域（它的盲点）；门控 PixelCNN 能看到全部过去；MADE 恰好看到它之前的像素。</translation>
    </message>
    <message>
        <source>PixelCNN (masked convolutions: has a blind spot)</source>
        <translation>PixelCNN（掩码卷积：有盲点）</translation>
    </message>
    <message>
        <source>Gated PixelCNN (vertical + horizontal stacks: no blind spot)</source>
        <translation>门控 PixelCNN（垂直 + 水平堆栈：没有盲点）</translation>
    </message>
    <message>
        <source>MADE (masked autoencoder)</source>
        <translation>MADE（掩码自编码器）</translation>
    </message>
    <message>
        <source>Not available: %1</source>
        <translation>不可用：%1</translation>
    </message>
    <message>
        <source>%1 · %2×%3 binary pixels, drawn in %4 order</source>
        <translation>%1 · %2×%3 个二值像素，按%4顺序绘制</translation>
    </message>
    <message>
        <source>MADE&apos;s own</source>
        <translation>MADE 自己的</translation>
    </message>
    <message>
        <source>raster (row by row)</source>
        <translation>逐行扫描</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <source>The receptive-field overlay failed: %1</source>
        <translation>感受野叠加层计算失败：%1</translation>
    </message>
</context>
<context>
    <name>arlab::PixelPanel</name>
    <message>
        <source>no image yet</source>
        <translation>还没有图像</translation>
    </message>
    <message>
        <source>Left-drag: draw ink. Right-drag: erase. Drawn pixels in the first rows are kept fixed and the model completes the rest.</source>
        <translation>左键拖动：画墨迹。右键拖动：擦除。前几行中画出的像素保持不变，由模型补全其余部分。</translation>
    </message>
    <message>
        <source>◀ Back</source>
        <translation>◀ 后退</translation>
    </message>
    <message>
        <source>Step ▶</source>
        <translation>单步 ▶</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Fast-forward</source>
        <translation>快进</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Clear drawing</source>
        <translation>清除绘图</translation>
    </message>
    <message>
        <source>Receptive field of the next pixel</source>
        <translation>下一个像素的感受野</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>&lt;b&gt;Sample&lt;/b&gt; (red: next pixel, orange: what it depends on)</source>
        <translation>&lt;b&gt;样本&lt;/b&gt;（红色：下一个像素，橙色：它所依赖的像素）</translation>
    </message>
    <message>
        <source>&lt;b&gt;P(pixel = 1 | pixels before it)&lt;/b&gt;</source>
        <translation>&lt;b&gt;P(像素 = 1 | 它之前的像素)&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Keep first rows of my drawing</source>
        <translation>保留我所画的前几行</translation>
    </message>
    <message>
        <source>%1 px/s</source>
        <translation>%1 像素/秒</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>The image is complete.</source>
        <translation>图像已完成。</translation>
    </message>
    <message>
        <source>Next pixel: row %1, column %2 &amp;nbsp; &lt;b&gt;P(ink) = %3&lt;/b&gt; &amp;nbsp; P(blank) = %4</source>
        <translation>下一个像素：第 %1 行，第 %2 列 &amp;nbsp; &lt;b&gt;P(墨迹) = %3&lt;/b&gt; &amp;nbsp; P(空白) = %4</translation>
    </message>
    <message>
        <source>%1 of %2 pixels drawn · log P(pixels so far) = %3 nats (%4 bits/pixel)</source>
        <translation>已绘制 %2 个像素中的 %1 个 · log P(目前的像素) = %3 奈特（%4 比特/像素）</translation>
    </message>
</context>
<context>
    <name>arlab::PositionsView</name>
    <message>
        <source>Sinusoidal encoding</source>
        <translation>正弦位置编码</translation>
    </message>
    <message>
        <source>dimension</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>PE(p, 2i) = sin(p / 10000^(2i/C)), PE(p, 2i+1) = cos(...): fast waves on the left, slow ones on the right. Each row is the vector added to the token at that position.</source>
        <translation>PE(p, 2i) = sin(p / 10000^(2i/C))，PE(p, 2i+1) = cos(...)：左边是快速变化的波，右边是缓慢变化的波。每一行是加到该位置词元上的向量。</translation>
    </message>
    <message>
        <source>Sinusoidal: position · position</source>
        <translation>正弦编码：位置 · 位置</translation>
    </message>
    <message>
        <source>Dot product of two positions&apos; encodings: largest on the diagonal and falling smoothly with the distance, the same at every place.</source>
        <translation>两个位置编码的点积：对角线上最大，随距离平滑下降，在每个位置都相同。</translation>
    </message>
    <message>
        <source>Learned wpe · wpe</source>
        <translation>学习的 wpe · wpe</translation>
    </message>
    <message>
        <source>The same for a shipped model&apos;s learned position table: what training made of it.</source>
        <translation>内置模型学习到的位置表的同样计算：训练把它变成了什么样。</translation>
    </message>
    <message>
        <source>RoPE: score against distance</source>
        <translation>RoPE：分数与距离</translation>
    </message>
    <message>
        <source>distance between query and key</source>
        <translation>查询与键之间的距离</translation>
    </message>
    <message>
        <source>q · k after rotation</source>
        <translation>旋转后的 q · k</translation>
    </message>
    <message>
        <source>One query and key rotated to positions m + d and m: the score depends on d only, and the rotation angles make it wave and decay as the distance grows.</source>
        <translation>一个查询和一个键分别旋转到位置 m + d 和 m：分数只取决于 d，旋转角度使它随距离增大而波动并衰减。</translation>
    </message>
    <message>
        <source>NLL by position on long text</source>
        <translation>长文本上各位置的负对数似然</translation>
    </message>
    <message>
        <source>nats per token</source>
        <translation>奈特/词元</translation>
    </message>
    <message>
        <source>Learned wpe · wpe (%1)</source>
        <translation>学习的 wpe · wpe（%1）</translation>
    </message>
    <message>
        <source>nothing computed yet</source>
        <translation>尚未计算</translation>
    </message>
    <message>
        <source>Mean loss of the token at each position, for three toy models that differ only in their positions. At the context limit (red) the learned-position model stops; the sinusoidal and RoPE models go on with a sliding window of the last T tokens.</source>
        <translation>三个只在位置编码上不同的玩具模型在每个位置上的平均损失。到达上下文上限（红线）时，可学习位置的模型停止；正弦和 RoPE 模型用最后 T 个词元的滑动窗口继续。</translation>
    </message>
    <message>
        <source>RoPE: q and k in feature pair 0</source>
        <translation>RoPE：第 0 对特征中的 q 和 k</translation>
    </message>
    <message>
        <source>feature 0</source>
        <translation>特征 0</translation>
    </message>
    <message>
        <source>feature 1</source>
        <translation>特征 1</translation>
    </message>
    <message>
        <source>The query&apos;s first two features rotated to position m + d for d = 0, 1, 2, ... (one arrow each, the number is d) and the key&apos;s at position m (black). The pair turns by one radian per position, so the angle between q and k, and with it their score, depends on the distance d only.</source>
        <translation>查询的前两个特征旋转到位置 m + d（d = 0, 1, 2, ……，每个一支箭头，数字是 d），键的前两个特征在位置 m（黑色）。这一对特征每个位置转过一弧度，所以 q 与 k 的夹角以及它们的分数只取决于距离 d。</translation>
    </message>
    <message>
        <source>q rotated to m + d, then k</source>
        <translation>旋转到 m + d 的 q，然后是 k</translation>
    </message>
    <message>
        <source>k</source>
        <translation>k</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>dot product</source>
        <translation>点积</translation>
    </message>
    <message>
        <source>context limit %1</source>
        <translation>上下文上限 %1</translation>
    </message>
</context>
<context>
    <name>arlab::PresentationMode</name>
    <message>
        <source>&amp;Presentation mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <source>Large fonts, thick lines, high contrast and fewer controls, for a projector (F5)</source>
        <translation>大字体、粗线条、高对比度、更少的控件，适合投影仪（F5）</translation>
    </message>
    <message>
        <source>Presentation &amp;font size…</source>
        <translation>演示模式字号(&amp;F)…</translation>
    </message>
    <message>
        <source>How much larger fonts are in presentation mode</source>
        <translation>演示模式下字体放大多少</translation>
    </message>
    <message>
        <source>Presentation font size</source>
        <translation>演示模式字号</translation>
    </message>
    <message>
        <source>Font size in presentation mode (× normal):</source>
        <translation>演示模式下的字号（× 正常大小）：</translation>
    </message>
    <message>
        <source>&amp;Zoom</source>
        <translation>缩放(&amp;Z)</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Reset zoom</source>
        <translation>重置缩放(&amp;R)</translation>
    </message>
    <message>
        <source>Make all text and plots of the window larger</source>
        <translation>放大窗口中的所有文字和图表</translation>
    </message>
    <message>
        <source>Make all text and plots of the window smaller</source>
        <translation>缩小窗口中的所有文字和图表</translation>
    </message>
    <message>
        <source>Back to the normal size of text and plots</source>
        <translation>文字和图表恢复正常大小</translation>
    </message>
</context>
<context>
    <name>arlab::QuizController</name>
    <message>
        <source>No model loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <source>The text has ended (%1): Next question starts again from the prompt (the text stays in Branches).</source>
        <translation>文本已结束（%1）：点“下一题”会从提示词重新开始（文本保留在分支中）。</translation>
    </message>
    <message>
        <source>The round is over: see the summary below, export it, or start a new round.</source>
        <translation>本轮已结束：请查看下方的总结，导出它，或开始新一轮。</translation>
    </message>
    <message>
        <source>The text had ended (%1): it starts again from the prompt (the old text stays in Branches).</source>
        <translation>文本已结束（%1）：从提示词重新开始（旧文本保留在分支中）。</translation>
    </message>
    <message>
        <source>The text cannot go on (%1): change the prompt or the model.</source>
        <translation>文本无法继续（%1）：请更换提示词或模型。</translation>
    </message>
    <message>
        <source>The next token will be the model&apos;s own draw (no true language is known here): an advantage for the model.</source>
        <translation>下一个词元将由模型自己抽取（这里没有已知的真实语言）：这对模型有利。</translation>
    </message>
    <message>
        <source>The next word will be drawn from the toy language itself, like real text; its exact probabilities are known.</source>
        <translation>下一个词将从玩具语言本身抽取，就像真实文本一样；它的精确概率是已知的。</translation>
    </message>
    <message>
        <source>The guess cannot be scored: %1</source>
        <translation>无法为这个猜测计分：%1</translation>
    </message>
    <message>
        <source>(drawn from the toy language)</source>
        <translation>（从玩具语言中抽取）</translation>
    </message>
    <message>
        <source>(the model&apos;s own draw)</source>
        <translation>（模型自己抽取）</translation>
    </message>
</context>
<context>
    <name>arlab::QuizView</name>
    <message>
        <source>Round of</source>
        <translation>每轮</translation>
    </message>
    <message>
        <source> steps</source>
        <translation> 步</translation>
    </message>
    <message>
        <source>How many tokens a round asks for (applies to the next round)</source>
        <translation>一轮要猜多少个词元（从下一轮起生效）</translation>
    </message>
    <message>
        <source>&amp;New round</source>
        <translation>新一轮(&amp;N)</translation>
    </message>
    <message>
        <source>Start a new round from where the text is now (Ctrl+Shift+N)</source>
        <translation>从文本当前的位置开始新一轮（Ctrl+Shift+N）</translation>
    </message>
    <message>
        <source>&amp;Pick one</source>
        <translation>只选一个(&amp;P)</translation>
    </message>
    <message>
        <source>A click on a word is your guess: all 100 points on it</source>
        <translation>点击一个词就是你的猜测：100 分全部押在它上面</translation>
    </message>
    <message>
        <source>&amp;Spread 100 points</source>
        <translation>分配 100 分(&amp;S)</translation>
    </message>
    <message>
        <source>A click gives a word 10 more points, a right-click takes 10 back; reveal at 100</source>
        <translation>单击给一个词加 10 分，右键收回 10 分；凑满 100 分后揭晓</translation>
    </message>
    <message>
        <source>Type a token of the vocabulary (completion offers the matches)</source>
        <translation>输入词表中的一个词元（自动补全会列出匹配项）</translation>
    </message>
    <message>
        <source> points</source>
        <translation> 分</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>加分(&amp;A)</translation>
    </message>
    <message>
        <source>Put these points on the token (in pick mode: the token is your guess)</source>
        <translation>把这些分数押在该词元上（“只选一个”模式下：该词元就是你的猜测）</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a token of this model&apos;s vocabulary.</source>
        <translation>“%1”不是该模型词表中的词元。</translation>
    </message>
    <message>
        <source>Token:</source>
        <translation>词元：</translation>
    </message>
    <message>
        <source>&amp;Reveal</source>
        <translation>揭晓(&amp;R)</translation>
    </message>
    <message>
        <source>Show the model&apos;s distribution and the token that came (Enter)</source>
        <translation>显示模型的分布和实际出现的词元（Enter）</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>清空(&amp;L)</translation>
    </message>
    <message>
        <source>Take back all points</source>
        <translation>收回全部分数</translation>
    </message>
    <message>
        <source>Ne&amp;xt question</source>
        <translation>下一题(&amp;X)</translation>
    </message>
    <message>
        <source>Ask for the next token (Ctrl+Enter)</source>
        <translation>猜下一个词元（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>#</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>came</source>
        <translation>实际出现</translation>
    </message>
    <message>
        <source>your top</source>
        <translation>你的首选</translation>
    </message>
    <message>
        <source>model&apos;s top</source>
        <translation>模型的首选</translation>
    </message>
    <message>
        <source>your loss</source>
        <translation>你的损失</translation>
    </message>
    <message>
        <source>model loss</source>
        <translation>模型损失</translation>
    </message>
    <message>
        <source>truth loss</source>
        <translation>真实分布的损失</translation>
    </message>
    <message>
        <source>−ln q(x): your (smoothed) probability of the token that came, in nats</source>
        <translation>−ln q(x)：你（平滑后）给实际出现的词元的概率，单位为奈特</translation>
    </message>
    <message>
        <source>−ln p(x): the model&apos;s probability of the token that came, in nats</source>
        <translation>−ln p(x)：模型给实际出现的词元的概率，单位为奈特</translation>
    </message>
    <message>
        <source>−ln P*(x): the toy language&apos;s exact probability (the best possible forecaster)</source>
        <translation>−ln P*(x)：玩具语言的精确概率（可能做到的最好预测）</translation>
    </message>
    <message>
        <source>&amp;Export summary CSV…</source>
        <translation>导出总结 CSV(&amp;E)…</translation>
    </message>
    <message>
        <source>Save every step of the round and the totals as CSV</source>
        <translation>把本轮的每一步和总计保存为 CSV</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <source>Scoring (nats, lower is better): your points → q = 0.99 · points/100 + 0.01/V (ε = 0.01), so zero points on the token that came cost ln(100·V) = %1 nats here (V = %2), not infinity.</source>
        <translation>计分（奈特，越低越好）：你的分数 → q = 0.99 · 分数/100 + 0.01/V（ε = 0.01），所以实际出现的词元若得 0 分，这里的代价是 ln(100·V) = %1 奈特（V = %2），而不是无穷大。</translation>
    </message>
    <message>
        <source>Click: guess “%1” (pick mode) or give it 10 points (spread mode); right-click: take 10 back</source>
        <translation>单击：猜“%1”（只选一个模式）或给它加 10 分（分配模式）；右键：收回 10 分</translation>
    </message>
    <message>
        <source>&amp;Pick</source>
        <translation>选定(&amp;P)</translation>
    </message>
    <message>
        <source>Click the word you think comes next.</source>
        <translation>点击你认为接下来会出现的词。</translation>
    </message>
    <message>
        <source>Your guess: nothing yet. Points left: %1</source>
        <translation>你的猜测：还没有。剩余分数：%1</translation>
    </message>
    <message>
        <source>Your guess: %1. Points left: %2</source>
        <translation>你的猜测：%1。剩余分数：%2</translation>
    </message>
    <message>
        <source>&lt;b&gt;Step %1 of %2&lt;/b&gt;: what comes next?</source>
        <translation>&lt;b&gt;第 %1 步，共 %2 步&lt;/b&gt;：接下来是什么？</translation>
    </message>
    <message>
        <source>Make your guess; then the model&apos;s distribution is revealed.</source>
        <translation>先做出你的猜测，然后揭晓模型的分布。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Prediction quiz&lt;/b&gt;</source>
        <translation>&lt;b&gt;预测测验&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Came: &lt;b&gt;%1&lt;/b&gt; %2 · you: p = %3, %4 nats, top pick %5 %6 · model: p = %7, %8 nats, top pick %9 %10</source>
        <translation>实际出现：&lt;b&gt;%1&lt;/b&gt; %2 · 你：p = %3，%4 奈特，首选 %5 %6 · 模型：p = %7，%8 奈特，首选 %9 %10</translation>
    </message>
    <message>
        <source>Truth: P* = %1, %2 nats. Expected loss under the truth: you %3, model %4, best possible %5.</source>
        <translation>真实分布：P* = %1，%2 奈特。按真实分布的期望损失：你 %3，模型 %4，最好可能 %5。</translation>
    </message>
    <message>
        <source>Truth: impossible in the toy language (P* = 0). Expected loss under the truth: you %1, model %2, best possible %3.</source>
        <translation>真实分布：在玩具语言中不可能出现（P* = 0）。按真实分布的期望损失：你 %1，模型 %2，最好可能 %3。</translation>
    </message>
    <message>
        <source>The model&apos;s distribution: %1</source>
        <translation>模型的分布：%1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Step %1 of %2&lt;/b&gt;: the answer</source>
        <translation>&lt;b&gt;第 %1 步，共 %2 步&lt;/b&gt;：答案</translation>
    </message>
    <message>
        <source>Round over</source>
        <translation>本轮结束</translation>
    </message>
    <message>
        <source>Your guess was: %1</source>
        <translation>你的猜测是：%1</translation>
    </message>
    <message>
        <source>impossible</source>
        <translation>不可能</translation>
    </message>
    <message>
        <source>–</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Σ</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>%1 steps</source>
        <translation>%1 步</translation>
    </message>
    <message>
        <source>%1 hits</source>
        <translation>猜中 %1 次</translation>
    </message>
    <message>
        <source>Round of %1 steps: no answers yet.</source>
        <translation>本轮共 %1 步：还没有作答。</translation>
    </message>
    <message>
        <source>%1 after %2 of %3 steps: you %4 nats/token, the model %5; top-1 right: you %6, the model %7; you agreed with the model&apos;s top pick %8 of the time.</source>
        <translation>%1（已完成 %2 步，共 %3 步）：你每个词元 %4 奈特，模型 %5；首选猜中率：你 %6，模型 %7；你与模型首选一致的比例为 %8。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Round over&lt;/b&gt;</source>
        <translation>&lt;b&gt;本轮结束&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Running total&lt;/b&gt;</source>
        <translation>&lt;b&gt;累计&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Against the truth (%1 steps): expected loss you %2, model %3, best possible %4 nats/token.</source>
        <translation>对照真实分布（%1 步）：期望损失你 %2，模型 %3，最好可能 %4 奈特/词元。</translation>
    </message>
    <message>
        <source>(People get about 29 % top-1 on web text and lose to small language models.)</source>
        <translation>（人在网络文本上的首选猜中率约为 29%，而且比不过小型语言模型。）</translation>
    </message>
    <message>
        <source>no quiz answers yet</source>
        <translation>测验还没有答案</translation>
    </message>
</context>
<context>
    <name>arlab::RnnInspectorController</name>
    <message>
        <source>%1 character model: %2 layer(s), %3 hidden units, vocabulary of %4 characters. Layer 1 is shown.</source>
        <translation>%1 字符模型：%2 层，%3 个隐藏单元，词表含 %4 个字符。显示的是第 1 层。</translation>
    </message>
    <message>
        <source>hidden state h</source>
        <translation>隐藏状态 h</translation>
    </message>
    <message>
        <source>cell c</source>
        <translation>细胞状态 c</translation>
    </message>
</context>
<context>
    <name>arlab::RnnInspectorView</name>
    <message>
        <source>no text traced yet</source>
        <translation>还没有追踪文本</translation>
    </message>
    <message>
        <source>Text:</source>
        <translation>文本：</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>character read (below it: the probability the model gave it)</source>
        <translation>读入的字符（下方：模型给它的概率）</translation>
    </message>
    <message>
        <source>unit</source>
        <translation>单元</translation>
    </message>
</context>
<context>
    <name>arlab::SamplingPanel</name>
    <message>
        <source>Sample</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>Greedy</source>
        <translation>贪心</translation>
    </message>
    <message>
        <source>Beam search</source>
        <translation>束搜索</translation>
    </message>
    <message>
        <source>Sample: draw the next token at random from the filtered distribution.
Greedy: always take the most probable token.
Beam search: keep the k best partial sequences (see the Beam search dock);
stepping one token at a time then takes the most probable token.</source>
        <translation>采样：从过滤后的分布中随机抽取下一个词元。
贪心：总是选取最可能的词元。
束搜索：保留 k 个最好的部分序列（见束搜索面板）；
逐个词元单步时则选取最可能的词元。</translation>
    </message>
    <message>
        <source>Temperature T divides the logits before the softmax.
T &lt; 1 sharpens the distribution (more predictable), T &gt; 1 flattens it (more surprising).
T = 0 keeps only the most probable token: greedy decoding.</source>
        <translation>温度 T：在 softmax 之前把 logits 除以 T。
T &lt; 1 使分布更尖锐（更可预测），T &gt; 1 使其更平坦（更出人意料）。
T = 0 只保留最可能的词元：即贪心解码。</translation>
    </message>
    <message>
        <source>Top-k keeps only the k most probable tokens and renormalises.
0 = off.</source>
        <translation>Top-k 只保留最可能的 k 个词元并重新归一化。
0 = 关闭。</translation>
    </message>
    <message>
        <source>Top-p (nucleus) keeps the smallest set of most probable tokens whose probabilities
add up to at least p, then renormalises. 1 = off.
Example: p = 0.7 on {0.4, 0.3, 0.2, 0.1} keeps {0.4, 0.3} → {0.57, 0.43}.</source>
        <translation>Top-p（核采样）保留概率之和至少为 p 的
最小的一组最可能词元，然后重新归一化。1 = 关闭。
例：在 {0.4, 0.3, 0.2, 0.1} 上取 p = 0.7，保留 {0.4, 0.3} → {0.57, 0.43}。</translation>
    </message>
    <message>
        <source>Min-p keeps the tokens whose probability is at least min-p × the top token&apos;s probability.
It adapts to the distribution: strict when the model is sure, loose when it is not. 0 = off.</source>
        <translation>Min-p 保留概率至少为 min-p × 最高词元概率的词元。
它随分布自适应：模型有把握时严格，没把握时宽松。0 = 关闭。</translation>
    </message>
    <message>
        <source>Repetition penalty r for tokens already in the recent window (prompt included):
a positive logit is divided by r, a negative one multiplied by r. 1 = off; &gt; 1 discourages repeats.</source>
        <translation>对最近窗口中（包括提示词）已出现的词元施加重复惩罚 r：
正的 logit 除以 r，负的乘以 r。1 = 关闭；&gt; 1 抑制重复。</translation>
    </message>
    <message>
        <source>How many recent tokens the repetition penalty looks at.</source>
        <translation>重复惩罚考察最近多少个词元。</translation>
    </message>
    <message>
        <source>Beam width k: how many partial sequences beam search keeps each round (the Beam search dock).
k = 1 is greedy.</source>
        <translation>束宽 k：束搜索每轮保留多少个部分序列（见束搜索面板）。
k = 1 即贪心。</translation>
    </message>
    <message>
        <source>Beam search length penalty alpha (GNMT): score = log P / ((5 + length) / 6)^alpha.
0 ranks by raw log-probability, which favours short endings; larger alpha favours longer ones.</source>
        <translation>束搜索长度惩罚 alpha (GNMT)：得分 = log P / ((5 + 长度) / 6)^alpha。
0 按原始对数概率排序，偏向较短的结尾；alpha 越大越偏向较长的序列。</translation>
    </message>
    <message>
        <source>Seed of the random draws: the same seed and settings give the same text.</source>
        <translation>随机抽取的种子：相同的种子和设置得到相同的文本。</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <source>Repetition penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <source>Penalty window</source>
        <translation>惩罚窗口</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Beam width</source>
        <translation>束宽</translation>
    </message>
    <message>
        <source>Length penalty α</source>
        <translation>长度惩罚 α</translation>
    </message>
    <message>
        <source>The sampler chain in order: each filter sees what the previous one kept.</source>
        <translation>按顺序排列的采样链：每个过滤器只看到前一个保留下来的内容。</translation>
    </message>
    <message>
        <source>beam search: width %1, length penalty α = %2</source>
        <translation>束搜索：束宽 %1，长度惩罚 α = %2</translation>
    </message>
    <message>
        <source>logits</source>
        <translation>logits</translation>
    </message>
    <message>
        <source>penalty %1 (last %2)</source>
        <translation>惩罚 %1（最近 %2 个）</translation>
    </message>
    <message>
        <source>T = 0 (greedy)</source>
        <translation>T = 0（贪心）</translation>
    </message>
    <message>
        <source>T = %1</source>
        <translation>T = %1</translation>
    </message>
    <message>
        <source>top-k %1</source>
        <translation>top-k %1</translation>
    </message>
    <message>
        <source>top-p %1</source>
        <translation>top-p %1</translation>
    </message>
    <message>
        <source>min-p %1</source>
        <translation>min-p %1</translation>
    </message>
    <message>
        <source>argmax</source>
        <translation>argmax</translation>
    </message>
    <message>
        <source>draw (seed %1)</source>
        <translation>抽取（种子 %1）</translation>
    </message>
</context>
<context>
    <name>arlab::SessionController</name>
    <message>
        <source>Open &amp;session…</source>
        <translation>打开会话(&amp;S)…</translation>
    </message>
    <message>
        <source>Open a saved session (.arlab): lesson, model, prompt, every branch, settings, layout, quiz</source>
        <translation>打开已保存的会话（.arlab）：课程、模型、提示词、所有分支、设置、布局、测验</translation>
    </message>
    <message>
        <source>&amp;Save session</source>
        <translation>保存会话(&amp;S)</translation>
    </message>
    <message>
        <source>Save what is on screen (lesson, model, prompt, every branch, settings, layout, quiz) to an .arlab file</source>
        <translation>把屏幕上的内容（课程、模型、提示词、所有分支、设置、布局、测验）保存为 .arlab 文件</translation>
    </message>
    <message>
        <source>Save session &amp;as…</source>
        <translation>会话另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Save the session to a new .arlab file</source>
        <translation>把会话保存到新的 .arlab 文件</translation>
    </message>
    <message>
        <source>&amp;Autosave</source>
        <translation>自动保存(&amp;U)</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭自动保存</translation>
    </message>
    <message>
        <source>Every %1 s</source>
        <translation>每 %1 秒</translation>
    </message>
    <message>
        <source>Every %1 min</source>
        <translation>每 %1 分钟</translation>
    </message>
    <message>
        <source>How often the session is saved to the app-data folder, to be offered back after a crash</source>
        <translation>会话多久保存一次到应用数据文件夹，以便崩溃后提供恢复</translation>
    </message>
    <message>
        <source>Autosave failed: %1</source>
        <translation>自动保存失败：%1</translation>
    </message>
    <message>
        <source>cannot write &apos;%1&apos;: %2</source>
        <translation>无法写入“%1”：%2</translation>
    </message>
    <message>
        <source>session &apos;%1&apos;: its lesson &apos;%2&apos; is not in this arlab (lessons: %3)</source>
        <translation>会话“%1”：它的课程“%2”不在这个 arlab 中（课程：%3）</translation>
    </message>
    <message>
        <source>session &apos;%1&apos;: its model file &apos;%2&apos; is missing (moved or deleted?). Put it back, or open the model and start again.</source>
        <translation>会话“%1”：它的模型文件“%2”不见了（被移动或删除？）。请把它放回原处，或打开模型重新开始。</translation>
    </message>
    <message>
        <source>session &apos;%1&apos;: its model file &apos;%2&apos; cannot be read: %3</source>
        <translation>会话“%1”：无法读取它的模型文件“%2”：%3</translation>
    </message>
    <message>
        <source>session &apos;%1&apos;: its model file &apos;%2&apos; has changed since the session was saved (SHA-256 %3… then, %4… now): the saved tokens may mean something else with it</source>
        <translation>会话“%1”：它的模型文件“%2”在保存会话之后被改动过（当时 SHA-256 为 %3…，现在为 %4…）：保存的词元用这个模型可能意味着别的东西</translation>
    </message>
    <message>
        <source>session &apos;%1&apos;: it has a history but no model</source>
        <translation>会话“%1”：它有生成历史，却没有模型</translation>
    </message>
    <message>
        <source>session &apos;%1&apos;: quiz: %2</source>
        <translation>会话“%1”：测验：%2</translation>
    </message>
    <message>
        <source>The session&apos;s dock layout is not one this arlab knows; the lesson&apos;s default is used.</source>
        <translation>这个 arlab 不认识会话中的面板布局；改用该课程的默认布局。</translation>
    </message>
    <message>
        <source>Cannot save the session</source>
        <translation>无法保存会话</translation>
    </message>
    <message>
        <source>Session saved to %1</source>
        <translation>会话已保存到 %1</translation>
    </message>
    <message>
        <source>Save session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <source>arlab sessions (*.arlab)</source>
        <translation>arlab 会话 (*.arlab)</translation>
    </message>
    <message>
        <source>Open session</source>
        <translation>打开会话</translation>
    </message>
    <message>
        <source>arlab sessions (*.arlab);;All files (*)</source>
        <translation>arlab 会话 (*.arlab);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot open the session</source>
        <translation>无法打开会话</translation>
    </message>
    <message>
        <source>&lt;p&gt;%1 could not be opened. What is on screen is unchanged.&lt;/p&gt;&lt;p&gt;%2&lt;/p&gt;</source>
        <translation>&lt;p&gt;无法打开 %1。屏幕上的内容没有改变。&lt;/p&gt;&lt;p&gt;%2&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Open session failed: %1</source>
        <translation>打开会话失败：%1</translation>
    </message>
    <message>
        <source>Opened session %1</source>
        <translation>已打开会话 %1</translation>
    </message>
    <message>
        <source>Restore the last session?</source>
        <translation>恢复上一次的会话？</translation>
    </message>
    <message>
        <source>arlab did not close normally last time. Its session was autosaved at %1.

Restore it?</source>
        <translation>arlab 上次没有正常关闭。它的会话在 %1 自动保存过。

要恢复吗？</translation>
    </message>
    <message>
        <source>Cannot restore the session</source>
        <translation>无法恢复会话</translation>
    </message>
    <message>
        <source>The autosaved session is kept as %1</source>
        <translation>自动保存的会话保留为 %1</translation>
    </message>
    <message>
        <source>session &apos;%1&apos;: its tokenizer file &apos;%2&apos; is missing (moved or deleted?). Put it back, or open the model and start again.</source>
        <translation>会话“%1”：它的分词器文件“%2”不见了（被移动或删除？）。请把它放回原处，或打开模型重新开始。</translation>
    </message>
    <message>
        <source>session &apos;%1&apos;: its tokenizer file &apos;%2&apos; cannot be read: %3</source>
        <translation>会话“%1”：无法读取它的分词器文件“%2”：%3</translation>
    </message>
    <message>
        <source>session &apos;%1&apos;: its tokenizer file &apos;%2&apos; has changed since the session was saved (SHA-256 %3… then, %4… now): the saved tokens may mean something else with it</source>
        <translation>会话“%1”：它的分词器文件“%2”在保存会话之后被改动过（当时 SHA-256 为 %3…，现在为 %4…）：保存的词元用这个分词器可能意味着别的东西</translation>
    </message>
</context>
<context>
    <name>arlab::SpeculativeView</name>
    <message>
        <source>round %1</source>
        <translation>第 %1 轮</translation>
    </message>
    <message>
        <source>prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>green = draft accepted · red = rejected (kept with probability min(1, p/q)) · struck out = never checked · blue = the target&apos;s own token</source>
        <translation>绿色 = 草稿词元被接受 · 红色 = 被拒绝（以 min(1, p/q) 的概率保留）· 删除线 = 未经检查 · 蓝色 = 目标模型自己的词元</translation>
    </message>
    <message>
        <source>not checked</source>
        <translation>未检查</translation>
    </message>
    <message>
        <source>bonus from p</source>
        <translation>从 p 额外抽取</translation>
    </message>
    <message>
        <source>resampled</source>
        <translation>重新抽取</translation>
    </message>
    <message>
        <source>Prompt:</source>
        <translation>提示词：</translation>
    </message>
    <message>
        <source>Words of the toy language; press Enter to decode again</source>
        <translation>玩具语言中的词；按回车键重新解码</translation>
    </message>
    <message>
        <source>γ:</source>
        <translation>γ：</translation>
    </message>
    <message>
        <source>Tokens the draft model proposes per round</source>
        <translation>草稿模型每轮提出的词元数</translation>
    </message>
    <message>
        <source>tokens:</source>
        <translation>词元数：</translation>
    </message>
    <message>
        <source>Tokens to generate</source>
        <translation>要生成的词元数</translation>
    </message>
    <message>
        <source>seed:</source>
        <translation>种子：</translation>
    </message>
    <message>
        <source>Same seed, same rounds</source>
        <translation>相同的种子，相同的轮次</translation>
    </message>
    <message>
        <source>Sample again</source>
        <translation>重新采样</translation>
    </message>
    <message>
        <source>Decode again with the next seed</source>
        <translation>用下一个种子重新解码</translation>
    </message>
    <message>
        <source>Speedup over plain AR</source>
        <translation>相对普通自回归的加速比</translation>
    </message>
    <message>
        <source>γ (drafted tokens per round)</source>
        <translation>γ（每轮草稿词元数）</translation>
    </message>
    <message>
        <source>× plain AR</source>
        <translation>× 普通自回归</translation>
    </message>
    <message>
        <source>Target calls: plain AR makes one per token; speculative decoding one per round. Theory: (1 − α^(γ+1)) / (1 − α) tokens per target call with the measured acceptance α.</source>
        <translation>目标模型调用次数：普通自回归每个词元调用一次；推测解码每轮调用一次。理论值：以测得的接受率 α 计算，每次目标模型调用得到 (1 − α^(γ+1)) / (1 − α) 个词元。</translation>
    </message>
    <message>
        <source>Measure again</source>
        <translation>重新测量</translation>
    </message>
    <message>
        <source>Time plain AR and speculative decoding for γ = 1..8 again (in the background)</source>
        <translation>在后台重新计时普通自回归与 γ = 1..8 的推测解码</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 tokens in %2 target calls = %3 tokens per target call&lt;/b&gt; (plain AR: 1). Acceptance α = %4 measured, %5 expected (mean Σ min(p, q)); theory (1 − α^(γ+1)) / (1 − α) = %6 tokens per call. %7 draft calls.</source>
        <translation>&lt;b&gt;%2 次目标模型调用生成 %1 个词元 = 每次调用 %3 个词元&lt;/b&gt;（普通自回归：1）。接受率 α：实测 %4，期望 %5（Σ min(p, q) 的均值）；理论值 (1 − α^(γ+1)) / (1 − α) = 每次调用 %6 个词元。草稿模型调用 %7 次。</translation>
    </message>
    <message>
        <source>target calls (measured)</source>
        <translation>目标模型调用（实测）</translation>
    </message>
    <message>
        <source>theory (1 − α^(γ+1))/(1 − α)</source>
        <translation>理论值 (1 − α^(γ+1))/(1 − α)</translation>
    </message>
    <message>
        <source>wall time, measured on this computer (median of AR/speculative pairs; bar: lowest–highest)</source>
        <translation>实际耗时，在本机实测（AR/推测解码成对计时的中位数；误差条：最低–最高）</translation>
    </message>
    <message>
        <source>Speedup not measured yet.</source>
        <translation>尚未测量加速比。</translation>
    </message>
    <message>
        <source>Best γ = %1: %2× faster than plain AR in wall time, %3× fewer target calls. Plain AR: %4 ms per token (%5 tokens timed, one thread, on this machine now).</source>
        <translation>最佳 γ = %1：实际耗时比普通自回归快 %2 倍，目标模型调用减少为 1/%3。普通自回归：每个词元 %4 毫秒（计时 %5 个词元，单线程，本机当前状态）。</translation>
    </message>
    <message>
        <source>nothing decoded yet</source>
        <translation>还没有解码</translation>
    </message>
</context>
<context>
    <name>arlab::TeacherForcingController</name>
    <message>
        <source>Curves as measured when the model was trained (kept in its file); measuring again on the %1 test sentences...</source>
        <translation>曲线为模型训练时的测量结果（保存在模型文件中）；正在 %1 个测试句子上重新测量...</translation>
    </message>
    <message>
        <source>Measuring both modes on the %1 test sentences...</source>
        <translation>正在 %1 个测试句子上测量两种模式...</translation>
    </message>
    <message>
        <source>Test split, %1 sentences: greedy exact match %2%. After a sentence&apos;s first free-running mistake, free running is wrong on %3% of the remaining positions, teacher forcing (gold prefix) on %4% of the same positions (%5 positions): the gap is exposure bias.</source>
        <translation>测试集，%1 个句子：贪心解码完全匹配 %2%。在一个句子的第一个自由运行错误之后，自由运行在其余位置上错了 %3%，教师强制（标准答案前缀）在相同位置上错了 %4%（共 %5 个位置）：两者之差就是曝光偏差。</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <source>Measuring the curves failed: %1</source>
        <translation>曲线测量失败：%1</translation>
    </message>
</context>
<context>
    <name>arlab::TeacherForcingView</name>
    <message>
        <source>no comparison yet</source>
        <translation>还没有对比</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Sentence:</source>
        <translation>句子：</translation>
    </message>
    <message>
        <source>gold</source>
        <translation>标准答案</translation>
    </message>
    <message>
        <source>teacher forcing</source>
        <translation>教师强制</translation>
    </message>
    <message>
        <source>free running</source>
        <translation>自由运行</translation>
    </message>
    <message>
        <source>Teacher forcing: each word predicted after the GOLD previous words.
Free running: each word predicted after the model&apos;s OWN previous words.
Red: the first free-running mistake; orange: later errors (they compound).</source>
        <translation>教师强制：每个词都在标准答案的前文之后预测。
自由运行：每个词都在模型自己生成的前文之后预测。
红色：自由运行的第一个错误；橙色：之后的错误（错误会累积）。</translation>
    </message>
    <message>
        <source>target position</source>
        <translation>目标位置</translation>
    </message>
    <message>
        <source>error rate (test set)</source>
        <translation>错误率（测试集）</translation>
    </message>
    <message>
        <source>matches the gold word</source>
        <translation>与标准答案一致</translation>
    </message>
    <message>
        <source>gold: %1</source>
        <translation>标准答案：%1</translation>
    </message>
</context>
<context>
    <name>arlab::TokenChipsView</name>
    <message>
        <source>no tokens yet</source>
        <translation>还没有词元</translation>
    </message>
    <message>
        <source>Click an alternative to choose it instead: generation continues from it, and the old continuation stays in the history as a branch</source>
        <translation>点击一个候选改选它：生成将从它继续，原来的续写作为分支保留在历史中</translation>
    </message>
    <message>
        <source>No next token.</source>
        <translation>没有下一个词元。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Next token&lt;/b&gt; — choose one yourself (or press Space to sample):</source>
        <translation>&lt;b&gt;下一个词元&lt;/b&gt; — 自己选一个（或按空格键采样）：</translation>
    </message>
    <message>
        <source>&lt;b&gt;Position %1&lt;/b&gt; (‘%2’) — choose another token here to branch:</source>
        <translation>&lt;b&gt;位置 %1&lt;/b&gt;（“%2”）— 在这里选择另一个词元以创建分支：</translation>
    </message>
    <message>
        <source>‘%1’ was taken here (p = %2)</source>
        <translation>这里选了“%1”（p = %2）</translation>
    </message>
    <message>
        <source>Choose ‘%1’ (p = %2) at this position and continue from it</source>
        <translation>在此位置选择“%1”（p = %2）并从它继续</translation>
    </message>
</context>
<context>
    <name>arlab::TokenizerView</name>
    <message>
        <source>no text tokenized</source>
        <translation>还没有分词的文本</translation>
    </message>
    <message>
        <source>Type a text above to see it tokenized.</source>
        <translation>在上方输入文本，查看它如何被分词。</translation>
    </message>
    <message>
        <source>1  pre-token</source>
        <translation>1  预分词</translation>
    </message>
    <message>
        <source>2  bytes</source>
        <translation>2  字节</translation>
    </message>
    <message>
        <source>3  tokens after %1 of %2 merges</source>
        <translation>3  %2 次合并中的前 %1 次之后的词元</translation>
    </message>
    <message>
        <source>4  ids</source>
        <translation>4  id</translation>
    </message>
    <message numerus="yes">
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n 个词元</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> from %n byte(s)</source>
        <translation>
            <numerusform>，来自 %n 个字节</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> in %n pre-token(s)</source>
        <translation>
            <numerusform>，共 %n 个预分词</numerusform>
        </translation>
    </message>
    <message>
        <source>: the ids the model reads.</source>
        <translation>：这就是模型读到的 id。</translation>
    </message>
    <message>
        <source>text to tokenize</source>
        <translation>要分词的文本</translation>
    </message>
    <message>
        <source>The text to tokenize with the current model&apos;s tokenizer (it follows the prompt until you edit it)</source>
        <translation>用当前模型的分词器分词的文本（在你编辑之前，它跟随提示词）</translation>
    </message>
    <message>
        <source>The current model&apos;s tokenizer and its vocabulary size</source>
        <translation>当前模型的分词器及其词表大小</translation>
    </message>
    <message>
        <source>Back to the bytes, before any merge</source>
        <translation>回到字节，还没有任何合并</translation>
    </message>
    <message>
        <source>&lt; Back</source>
        <translation>&lt; 后退</translation>
    </message>
    <message>
        <source>Undo the last merge</source>
        <translation>撤销上一次合并</translation>
    </message>
    <message>
        <source>Step &gt;</source>
        <translation>单步 &gt;</translation>
    </message>
    <message>
        <source>Apply the next merge: the adjacent pair with the best rank (GPT-2: lowest rank; llama2.c: highest score)</source>
        <translation>执行下一次合并：优先级最高的相邻对（GPT-2：排名最小；llama2.c：分数最高）</translation>
    </message>
    <message>
        <source>Apply every merge: the ids the model reads</source>
        <translation>执行所有合并：得到模型读到的 id</translation>
    </message>
    <message>
        <source>How many merges are applied</source>
        <translation>已执行的合并次数</translation>
    </message>
    <message>
        <source>The merge just applied: left + right → result, and its priority</source>
        <translation>刚执行的合并：左 + 右 → 结果，以及它的优先级</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>尚未加载模型。</translation>
    </message>
    <message>
        <source>No merges: each piece is one token.</source>
        <translation>没有合并：每个片段就是一个词元。</translation>
    </message>
    <message numerus="yes">
        <source>%n merge(s) to apply: press Step</source>
        <translation>
            <numerusform>还有 %n 次合并：按“单步”</numerusform>
        </translation>
    </message>
    <message>
        <source>Merge %1 of %2: %3 + %4 → %5</source>
        <translation>第 %1 / %2 次合并：%3 + %4 → %5</translation>
    </message>
</context>
<context>
    <name>arlab::TrainingController</name>
    <message>
        <source>Cannot train: %1.</source>
        <translation>无法训练：%1。</translation>
    </message>
    <message>
        <source>Training %1 parameters…</source>
        <translation>正在训练 %1 个参数…</translation>
    </message>
    <message>
        <source>, batch loss %1</source>
        <translation>，批次损失 %1</translation>
    </message>
    <message>
        <source>Step %1 / %2%3 — %4 s</source>
        <translation>第 %1 / %2 步%3 — %4 秒</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>trained in the app: toy language, L=%1 H=%2 C=%3 T=%4 %5 positions, %6 steps%7, seed %8</source>
        <translation>在应用中训练：玩具语言，L=%1 H=%2 C=%3 T=%4 %5位置编码，%6 步%7，种子 %8</translation>
    </message>
    <message>
        <source> (stopped early)</source>
        <translation>（提前停止）</translation>
    </message>
    <message>
        <source>%1 after %2 steps in %3 s: training loss %4, validation loss %5 nats/token (true entropy rate %6).</source>
        <translation>%1：%2 步，用时 %3 秒：训练损失 %4，验证损失 %5 奈特/词元（真实熵率 %6）。</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>训练失败：%1</translation>
    </message>
    <message>
        <source>The Generation, Next token, Attention and Model docks now show the model trained here.</source>
        <translation>生成、下一个词元、注意力和模型面板现在显示在这里训练的模型。</translation>
    </message>
</context>
<context>
    <name>arlab::TrainingView</name>
    <message>
        <source>no training run yet</source>
        <translation>还没有训练过</translation>
    </message>
    <message>
        <source>Transformer blocks L stacked on top of each other (attention + MLP each).</source>
        <translation>层层堆叠的 Transformer 块数 L（每块含注意力 + MLP）。</translation>
    </message>
    <message>
        <source>Attention heads H per block. Each head gets C / H columns, so H must divide the width C.</source>
        <translation>每块的注意力头数 H。每个头分到 C / H 列，所以 H 必须整除宽度 C。</translation>
    </message>
    <message>
        <source>Embedding width C: the size of every token&apos;s vector inside the model.</source>
        <translation>嵌入宽度 C：模型内部每个词元向量的长度。</translation>
    </message>
    <message>
        <source>Context T: the longest window of tokens the model sees (and can generate).</source>
        <translation>上下文 T：模型能看到（和生成）的最长词元窗口。</translation>
    </message>
    <message>
        <source>learned</source>
        <translation>可学习</translation>
    </message>
    <message>
        <source>sinusoidal</source>
        <translation>正弦</translation>
    </message>
    <message>
        <source>rotary (RoPE)</source>
        <translation>旋转位置编码 (RoPE)</translation>
    </message>
    <message>
        <source>How the model knows where a token is: a learned table, fixed sine waves, or rotating q and k.</source>
        <translation>模型如何知道词元的位置：一张可学习的表、固定的正弦波，或旋转 q 和 k。</translation>
    </message>
    <message>
        <source>Optimizer steps (AdamW, warmup then cosine decay). Each step sees a batch of 16 windows.</source>
        <translation>优化器步数（AdamW，先预热再余弦衰减）。每一步看一个 16 个窗口的批次。</translation>
    </message>
    <message>
        <source>Peak learning rate. Too high and the loss jumps around; too low and it barely moves.</source>
        <translation>峰值学习率。太高损失会上下乱跳；太低则几乎不动。</translation>
    </message>
    <message>
        <source>Seeds the weights, the batches and the sampled toy corpus: the same seed gives the same model.</source>
        <translation>权重、批次和采样出的玩具语料的种子：相同的种子得到相同的模型。</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <source>Heads</source>
        <translation>头数</translation>
    </message>
    <message>
        <source>Width C</source>
        <translation>宽度 C</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>Positions</source>
        <translation>位置编码</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Train a fresh TinyGPT on the toy language with these settings (in the background).</source>
        <translation>用这些设置在玩具语言上从头训练一个 TinyGPT（在后台进行）。</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop training now; the model trained so far can still be used.</source>
        <translation>立即停止训练；目前训练出的模型仍可使用。</translation>
    </message>
    <message>
        <source>Use this model</source>
        <translation>使用此模型</translation>
    </message>
    <message>
        <source>Show the trained model in the Generation, Next token, Attention and Model docks.</source>
        <translation>在生成、下一个词元、注意力和模型面板中显示训练好的模型。</translation>
    </message>
    <message>
        <source>Not trained yet.</source>
        <translation>尚未训练。</translation>
    </message>
    <message>
        <source>Loss in nats per token: lower is better. The dashed line is the toy language&apos;s entropy rate, the lowest average loss any model can reach.</source>
        <translation>以奈特/词元计的损失：越低越好。虚线是玩具语言的熵率，即任何模型能达到的最低平均损失。</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>loss (nats/token)</source>
        <translation>损失（奈特/词元）</translation>
    </message>
    <message>
        <source>training batch</source>
        <translation>训练批次</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>true entropy rate %1</source>
        <translation>真实熵率 %1</translation>
    </message>
</context>
<context>
    <name>arlab::TransformerLesson</name>
    <message>
        <source>New &amp;quiz round</source>
        <translation>新一轮测验(&amp;Q)</translation>
    </message>
    <message>
        <source>Show the Quiz dock and start a round of “what comes next?” from the text as it is now</source>
        <translation>显示“测验”面板，从当前文本开始一轮“接下来是什么？”</translation>
    </message>
    <message>
        <source>Export the quiz round</source>
        <translation>导出本轮测验</translation>
    </message>
    <message>
        <source>CSV numbers (*.csv)</source>
        <translation>CSV 数值 (*.csv)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Quiz round saved to %1</source>
        <translation>本轮测验已保存到 %1</translation>
    </message>
</context>
<context>
    <name>arlab::TranslationController</name>
    <message>
        <source>No translator loaded.</source>
        <translation>尚未加载翻译模型。</translation>
    </message>
    <message>
        <source>Type a Chinese sentence, words separated by spaces (or pick an example).</source>
        <translation>输入一个中文句子，词与词之间用空格分开（或选择一个例句）。</translation>
    </message>
    <message>
        <source>Not in the translator&apos;s lexicon of %1 words: %2. Remove or replace %3.</source>
        <translation>不在翻译模型的 %1 词词表中：%2。请删除或替换%3。</translation>
    </message>
    <message>
        <source>it</source>
        <translation>它</translation>
    </message>
    <message>
        <source>them</source>
        <translation>它们</translation>
    </message>
    <message>
        <source>A sentence of the corpus: its gold alignment is known (toggle &quot;Gold alignment&quot;).</source>
        <translation>语料库中的句子：它的标准对齐是已知的（切换“标准对齐”）。</translation>
    </message>
    <message>
        <source>Not a corpus sentence: no gold alignment to compare with.</source>
        <translation>不是语料库中的句子：没有标准对齐可供比较。</translation>
    </message>
    <message>
        <source>Beam search needs a source sentence made of lexicon words.</source>
        <translation>束搜索需要由词表中的词组成的源句子。</translation>
    </message>
    <message>
        <source>Beam search (width %1): %2</source>
        <translation>束搜索（束宽 %1）：%2</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
</context>
<context>
    <name>arlab::TranslationLesson</name>
    <message>
        <source>early checkpoint (250 steps)</source>
        <translation>早期检查点（250 步）</translation>
    </message>
    <message>
        <source>fully trained (1500 steps)</source>
        <translation>完整训练（1500 步）</translation>
    </message>
    <message>
        <source>The translator could not be loaded: %1</source>
        <translation>无法加载翻译模型：%1</translation>
    </message>
    <message>
        <source>The character model could not be loaded: %1</source>
        <translation>无法加载字符模型：%1</translation>
    </message>
</context>
<context>
    <name>arlab::TranslationView</name>
    <message>
        <source>Chinese:</source>
        <translation>中文：</translation>
    </message>
    <message>
        <source>words separated by spaces, e.g. 我 爱 你</source>
        <translation>词与词之间用空格分开，例如 我 爱 你</translation>
    </message>
    <message>
        <source>Sentences of the held-out test split (their gold alignment is known)</source>
        <translation>留出的测试集中的句子（它们的标准对齐已知）</translation>
    </message>
    <message>
        <source>Next word</source>
        <translation>下一个词</translation>
    </message>
    <message>
        <source>Decode one more English word (greedy: the most probable)</source>
        <translation>再解码一个英文词（贪心：最可能的那个）</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>译完</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>重新开始</translation>
    </message>
    <message>
        <source>width </source>
        <translation>束宽 </translation>
    </message>
    <message>
        <source>Beam search</source>
        <translation>束搜索</translation>
    </message>
    <message>
        <source>Run beam search on the translator and show its tree in the Beam tree dock</source>
        <translation>在翻译模型上运行束搜索，并在束搜索树面板中显示它的树</translation>
    </message>
    <message>
        <source>Gold alignment</source>
        <translation>标准对齐</translation>
    </message>
    <message>
        <source>Outline the source word(s) each English word really translates (corpus sentences only)</source>
        <translation>框出每个英文词实际翻译的源语言词（仅限语料库中的句子）</translation>
    </message>
    <message>
        <source>English:</source>
        <translation>英文：</translation>
    </message>
</context>
</TS>
