<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP" sourcelanguage="en">
<context>
    <name>FieldLabel</name>
    <message>
        <source>Malformed Packet</source>
        <translation>不正なパケット</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>データ</translation>
    </message>
    <message>
        <source>Transmission Control Protocol</source>
        <translation>TCP (Transmission Control Protocol)</translation>
    </message>
    <message>
        <source>User Datagram Protocol</source>
        <translation>UDP (User Datagram Protocol)</translation>
    </message>
    <message>
        <source>Internet Protocol Version 4</source>
        <translation>IPv4 (Internet Protocol Version 4)</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>オプション</translation>
    </message>
    <message>
        <source>Option</source>
        <translation>オプション</translation>
    </message>
    <message>
        <source>Expert Info</source>
        <translation>エキスパート情報</translation>
    </message>
    <message>
        <source>Internet Protocol Version 6</source>
        <translation>IPv6 (Internet Protocol Version 6)</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>オフセット</translation>
    </message>
    <message>
        <source>More Fragments</source>
        <translation>後続フラグメントあり</translation>
    </message>
    <message>
        <source>Identification</source>
        <translation>識別子</translation>
    </message>
    <message>
        <source>Address Resolution Protocol</source>
        <translation>ARP (Address Resolution Protocol)</translation>
    </message>
    <message>
        <source>left edge</source>
        <translation>左端</translation>
    </message>
    <message>
        <source>right edge</source>
        <translation>右端</translation>
    </message>
    <message>
        <source>ICMPv6 Option</source>
        <translation>ICMPv6 オプション</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>タイプ</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>長さ</translation>
    </message>
    <message>
        <source>Link-layer address</source>
        <translation>リンク層アドレス</translation>
    </message>
    <message>
        <source>Ethernet II</source>
        <translation>Ethernet II</translation>
    </message>
    <message>
        <source>Padding</source>
        <translation>パディング</translation>
    </message>
    <message>
        <source>IPv6 Hop-by-Hop Option</source>
        <translation>IPv6 中継点オプション</translation>
    </message>
    <message>
        <source>Routing Header for IPv6</source>
        <translation>IPv6 ルーティングヘッダー</translation>
    </message>
    <message>
        <source>Fragment Header for IPv6</source>
        <translation>IPv6 フラグメントヘッダー</translation>
    </message>
    <message>
        <source>Destination Options for IPv6</source>
        <translation>IPv6 終点オプション</translation>
    </message>
    <message>
        <source>Authentication Header</source>
        <translation>認証ヘッダー</translation>
    </message>
    <message>
        <source>End of Option List (EOL)</source>
        <translation>オプションリスト終端 (EOL)</translation>
    </message>
    <message>
        <source>No-Operation (NOP)</source>
        <translation>何もしない (NOP)</translation>
    </message>
    <message>
        <source>Maximum segment size</source>
        <translation>最大セグメントサイズ</translation>
    </message>
    <message>
        <source>Window scale</source>
        <translation>ウィンドウスケール</translation>
    </message>
    <message>
        <source>SACK permitted</source>
        <translation>SACK 許可</translation>
    </message>
    <message>
        <source>SACK</source>
        <translation>SACK</translation>
    </message>
    <message>
        <source>Timestamps</source>
        <translation>タイムスタンプ</translation>
    </message>
    <message>
        <source>Unknown option</source>
        <translation>不明なオプション</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>宛先</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>送信元</translation>
    </message>
    <message>
        <source>Hardware type</source>
        <translation>ハードウェアタイプ</translation>
    </message>
    <message>
        <source>Protocol type</source>
        <translation>プロトコルタイプ</translation>
    </message>
    <message>
        <source>Hardware size</source>
        <translation>ハードウェアアドレス長</translation>
    </message>
    <message>
        <source>Protocol size</source>
        <translation>プロトコルアドレス長</translation>
    </message>
    <message>
        <source>Opcode</source>
        <translation>オペコード</translation>
    </message>
    <message>
        <source>Sender MAC address</source>
        <translation>送信元 MAC アドレス</translation>
    </message>
    <message>
        <source>Sender IP address</source>
        <translation>送信元 IP アドレス</translation>
    </message>
    <message>
        <source>Target MAC address</source>
        <translation>ターゲット MAC アドレス</translation>
    </message>
    <message>
        <source>Target IP address</source>
        <translation>ターゲット IP アドレス</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>バージョン</translation>
    </message>
    <message>
        <source>Header Length</source>
        <translation>ヘッダー長</translation>
    </message>
    <message>
        <source>Differentiated Services Field</source>
        <translation>DiffServ フィールド</translation>
    </message>
    <message>
        <source>Differentiated Services Codepoint</source>
        <translation>DiffServ コードポイント (DSCP)</translation>
    </message>
    <message>
        <source>Explicit Congestion Notification</source>
        <translation>明示的輻輳通知 (ECN)</translation>
    </message>
    <message>
        <source>Total Length</source>
        <translation>全長</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>フラグ</translation>
    </message>
    <message>
        <source>Reserved bit</source>
        <translation>予約ビット</translation>
    </message>
    <message>
        <source>Don&apos;t fragment</source>
        <translation>フラグメント禁止</translation>
    </message>
    <message>
        <source>More fragments</source>
        <translation>後続フラグメントあり</translation>
    </message>
    <message>
        <source>Fragment Offset</source>
        <translation>フラグメントオフセット</translation>
    </message>
    <message>
        <source>Time to Live</source>
        <translation>生存時間 (TTL)</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>プロトコル</translation>
    </message>
    <message>
        <source>Header Checksum</source>
        <translation>ヘッダーチェックサム</translation>
    </message>
    <message>
        <source>Source Address</source>
        <translation>送信元アドレス</translation>
    </message>
    <message>
        <source>Destination Address</source>
        <translation>宛先アドレス</translation>
    </message>
    <message>
        <source>Traffic Class</source>
        <translation>トラフィッククラス</translation>
    </message>
    <message>
        <source>Flow Label</source>
        <translation>フローラベル</translation>
    </message>
    <message>
        <source>Payload Length</source>
        <translation>ペイロード長</translation>
    </message>
    <message>
        <source>Next Header</source>
        <translation>次ヘッダー</translation>
    </message>
    <message>
        <source>Hop Limit</source>
        <translation>ホップ制限</translation>
    </message>
    <message>
        <source>Source Port</source>
        <translation>送信元ポート</translation>
    </message>
    <message>
        <source>Destination Port</source>
        <translation>宛先ポート</translation>
    </message>
    <message>
        <source>Sequence Number</source>
        <translation>シーケンス番号</translation>
    </message>
    <message>
        <source>Acknowledgment Number</source>
        <translation>確認応答番号</translation>
    </message>
    <message>
        <source>Reserved</source>
        <translation>予約</translation>
    </message>
    <message>
        <source>Accurate ECN</source>
        <translation>Accurate ECN</translation>
    </message>
    <message>
        <source>Congestion Window Reduced</source>
        <translation>輻輳ウィンドウ縮小 (CWR)</translation>
    </message>
    <message>
        <source>ECN-Echo</source>
        <translation>ECN エコー</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>緊急 (URG)</translation>
    </message>
    <message>
        <source>Acknowledgment</source>
        <translation>確認応答 (ACK)</translation>
    </message>
    <message>
        <source>Push</source>
        <translation>プッシュ (PSH)</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>リセット (RST)</translation>
    </message>
    <message>
        <source>Syn</source>
        <translation>同期 (SYN)</translation>
    </message>
    <message>
        <source>Fin</source>
        <translation>終了 (FIN)</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>ウィンドウ</translation>
    </message>
    <message>
        <source>Checksum</source>
        <translation>チェックサム</translation>
    </message>
    <message>
        <source>Urgent Pointer</source>
        <translation>緊急ポインター</translation>
    </message>
    <message>
        <source>MSS Value</source>
        <translation>MSS 値</translation>
    </message>
    <message>
        <source>Shift count</source>
        <translation>シフト数</translation>
    </message>
    <message>
        <source>Timestamp value</source>
        <translation>タイムスタンプ値</translation>
    </message>
    <message>
        <source>Timestamp echo reply</source>
        <translation>タイムスタンプエコー応答</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>コード</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>識別子</translation>
    </message>
    <message>
        <source>MTU of next hop</source>
        <translation>次ホップの MTU</translation>
    </message>
    <message>
        <source>Sequence</source>
        <translation>シーケンス</translation>
    </message>
    <message>
        <source>Router</source>
        <translation>ルーター</translation>
    </message>
    <message>
        <source>Solicited</source>
        <translation>要請への応答</translation>
    </message>
    <message>
        <source>Override</source>
        <translation>上書き</translation>
    </message>
    <message>
        <source>Target Address</source>
        <translation>ターゲットアドレス</translation>
    </message>
</context>
<context>
    <name>FieldTreeModel</name>
    <message>
        <source>  [changed by rule: %1]</source>
        <translation>  [ルールで変更: %1]</translation>
    </message>
</context>
<context>
    <name>PacketInspector</name>
    <message>
        <source>delivered</source>
        <translation>配送済み</translation>
    </message>
    <message>
        <source>dropped by a rule</source>
        <translation>ルールで破棄</translation>
    </message>
    <message>
        <source>consumed by a rule</source>
        <translation>ルールが横取り</translation>
    </message>
    <message>
        <source>lost on the wire</source>
        <translation>回線上で消失</translation>
    </message>
    <message>
        <source>malformed</source>
        <translation>不正な形式</translation>
    </message>
</context>
<context>
    <name>SequenceView</name>
    <message>
        <source>Rule %1 (%2)</source>
        <translation>ルール %1 (%2)</translation>
    </message>
    <message>
        <source>Timer: %1</source>
        <translation>タイマー: %1</translation>
    </message>
    <message>
        <source>State: %1</source>
        <translation>状態: %1</translation>
    </message>
    <message numerus="yes">
        <source>not TCP (%n bytes)</source>
        <translation>
            <numerusform>TCP ではありません (%n バイト)</numerusform>
        </translation>
    </message>
    <message>
        <source>Lost on the wire</source>
        <translation>回線上で消失しました</translation>
    </message>
    <message>
        <source>Dropped by a rule</source>
        <translation>ルールが破棄しました</translation>
    </message>
    <message>
        <source>Consumed by a rule: the stack never saw it</source>
        <translation>ルールが横取りしました: スタックには届いていません</translation>
    </message>
    <message>
        <source>Crafted by a rule</source>
        <translation>ルールが作ったパケット</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>重複</translation>
    </message>
</context>
<context>
    <name>SetupPlan</name>
    <message>
        <source>Tap name &quot;%1&quot; is not a valid interface name (1 to 15 letters, digits, &apos;-&apos;, &apos;_&apos;, &apos;.&apos;).</source>
        <translation>tap 名「%1」はインターフェース名として使えません (英数字と「-」「_」「.」で 1〜15 文字)。</translation>
    </message>
    <message>
        <source>Bridge name &quot;%1&quot; is not a valid interface name.</source>
        <translation>ブリッジ名「%1」はインターフェース名として使えません。</translation>
    </message>
    <message>
        <source>The tap and the bridge need different names.</source>
        <translation>tap とブリッジには別々の名前が必要です。</translation>
    </message>
    <message>
        <source>Host address &quot;%1&quot; is not an address with a prefix length, like 198.18.0.101/24.</source>
        <translation>ホストアドレス「%1」はプレフィックス長付きのアドレス (例: 198.18.0.101/24) ではありません。</translation>
    </message>
    <message>
        <source>Route &quot;%1&quot; is not a prefix, like 198.18.1.0/24.</source>
        <translation>経路「%1」はプレフィックス (例: 198.18.1.0/24) ではありません。</translation>
    </message>
    <message>
        <source>Lab IPv4 address &quot;%1&quot; is not an IPv4 address with a prefix length.</source>
        <translation>ラボの IPv4 アドレス「%1」はプレフィックス長付きの IPv4 アドレスではありません。</translation>
    </message>
    <message>
        <source>Lab IPv6 address &quot;%1&quot; is not an IPv6 address with a prefix length.</source>
        <translation>ラボの IPv6 アドレス「%1」はプレフィックス長付きの IPv6 アドレスではありません。</translation>
    </message>
    <message>
        <source>Lab MAC address &quot;%1&quot; is not a unicast MAC address like 02:00:00:00:00:64.</source>
        <translation>ラボの MAC アドレス「%1」はユニキャスト MAC アドレス (例: 02:00:00:00:00:64) ではありません。</translation>
    </message>
    <message>
        <source>MTU %1 is outside 68 to 65535.</source>
        <translation>MTU %1 は 68〜65535 の範囲外です。</translation>
    </message>
    <message>
        <source>Create tap %1 owned by you</source>
        <translation>あなたが所有する tap %1 を作成</translation>
    </message>
    <message>
        <source>Create bridge %1</source>
        <translation>ブリッジ %1 を作成</translation>
    </message>
    <message>
        <source>Attach %1 to %2</source>
        <translation>%1 を %2 に接続</translation>
    </message>
    <message>
        <source>Set MTU %1 on %2</source>
        <translation>%2 の MTU を %1 に設定</translation>
    </message>
    <message>
        <source>Add address %1 to %2</source>
        <translation>%2 にアドレス %1 を追加</translation>
    </message>
    <message>
        <source>Bring %1 up</source>
        <translation>%1 を起動 (up)</translation>
    </message>
    <message>
        <source>Route %1 through %2</source>
        <translation>%1 への経路を %2 経由に設定</translation>
    </message>
    <message>
        <source>Delete bridge %1</source>
        <translation>ブリッジ %1 を削除</translation>
    </message>
    <message>
        <source>Delete tap %1</source>
        <translation>tap %1 を削除</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>TCP Lab: a desktop lab for bending TCP.</source>
        <translation>TCP Lab: TCP を自在に曲げて試すデスクトップ実験室。</translation>
    </message>
    <message>
        <source>Render the window to a PNG file after start-up and exit.</source>
        <translation>起動後にウィンドウを PNG ファイルに描画して終了します。</translation>
    </message>
    <message>
        <source>Load a built-in scenario by name, or a scenario file.</source>
        <translation>組み込みシナリオを名前で、またはシナリオファイルを読み込みます。</translation>
    </message>
    <message>
        <source>User interface language (ja or en).</source>
        <translation>UI の言語 (ja または en)。</translation>
    </message>
    <message>
        <source>Attach the lab to this tap device.</source>
        <translation>この tap デバイスにラボを接続します。</translation>
    </message>
    <message>
        <source>Virtual seconds the demo runs before --screenshot (default 4).</source>
        <translation>--screenshot の前にデモを走らせる仮想時間の秒数 (既定値 4)。</translation>
    </message>
    <message>
        <source>Window size for --screenshot (default 1440x900).</source>
        <translation>--screenshot のウィンドウサイズ (既定値 1440x900)。</translation>
    </message>
    <message>
        <source>Captures or scenarios to open.</source>
        <translation>開くキャプチャまたはシナリオ。</translation>
    </message>
    <message>
        <source>Dock to show in front for --screenshot (rules, explanation, classroom, presentation).</source>
        <translation>--screenshot で前面に出すドック (rules, explanation, classroom, presentation)。</translation>
    </message>
    <message>
        <source>With --tap: the lab&apos;s IPv4 address and prefix (198.18.0.2/24).</source>
        <translation>--tap と併用: ラボの IPv4 アドレスとプレフィックス（198.18.0.2/24）。</translation>
    </message>
    <message>
        <source>With --tap: the lab&apos;s IPv6 address and prefix (2001:db8::2/64).</source>
        <translation>--tap と併用: ラボの IPv6 アドレスとプレフィックス（2001:db8::2/64）。</translation>
    </message>
    <message>
        <source>With --tap: the lab&apos;s MAC address.</source>
        <translation>--tap と併用: ラボの MAC アドレス。</translation>
    </message>
    <message>
        <source>With --tap: the IPv4 gateway.</source>
        <translation>--tap と併用: IPv4 ゲートウェイ。</translation>
    </message>
    <message>
        <source>With --tap: a TCP service to run (80:http, 9000:sink); repeatable.</source>
        <translation>--tap と併用: 動かす TCP サービス（80:http、9000:sink）。複数指定可。</translation>
    </message>
    <message>
        <source>With --tap: keep at most this many bytes of each recorded frame (64 to 262144; default: whole frames).</source>
        <translation>--tap と併用: 記録する各フレームの先頭からこのバイト数だけを保存します（64〜262144、既定はフレーム全体）。</translation>
    </message>
    <message>
        <source>With --tap: RAM for the capture (like 512M or 8G; default 2G).</source>
        <translation>--tap と併用: キャプチャ用の RAM（例: 512M、8G。既定は 2G）。</translation>
    </message>
    <message>
        <source>With --tap: of that memory, this much is mapped before the tap is attached (like 4G; default none).</source>
        <translation>--tap と併用: そのメモリのうち、タップに接続する前に確保しておく量（例: 4G。既定はなし）。</translation>
    </message>
    <message>
        <source>With --tap: where frames past the capture memory go (a directory on disk; default $TMPDIR, else /tmp).</source>
        <translation>--tap と併用: キャプチャのメモリを超えたフレームの書き出し先（ディスク上のディレクトリ。既定は $TMPDIR、なければ /tmp）。</translation>
    </message>
    <message>
        <source>With --tap: past the capture memory, keep frames in a spill file (spill, the default) or stop recording (stop).</source>
        <translation>--tap と併用: キャプチャのメモリを超えたら、フレームを一時ファイルに書き出す (spill、既定) か記録を止める (stop)。</translation>
    </message>
</context>
<context>
    <name>tcplab::gui::ActionListEditor</name>
    <message>
        <source>%1: column %2: %3</source>
        <translation>%1: %2 桁目: %3</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not hex bytes (like &quot;de ad be ef&quot;)</source>
        <translation>%1: 「%2」は 16 進のバイト列ではありません(例: &quot;de ad be ef&quot;)</translation>
    </message>
    <message>
        <source>Drop</source>
        <translation>破棄</translation>
    </message>
    <message>
        <source>Delay</source>
        <translation>遅延</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>複製</translation>
    </message>
    <message>
        <source>Hold (reorder)</source>
        <translation>保留(順序入れ替え)</translation>
    </message>
    <message>
        <source>Set a field</source>
        <translation>フィールドを書き換え</translation>
    </message>
    <message>
        <source>Set/clear flags</source>
        <translation>フラグをセット/クリア</translation>
    </message>
    <message>
        <source>Rewrite options</source>
        <translation>オプションを書き換え</translation>
    </message>
    <message>
        <source>Rewrite payload</source>
        <translation>ペイロードを書き換え</translation>
    </message>
    <message>
        <source>Corrupt checksum</source>
        <translation>チェックサムを壊す</translation>
    </message>
    <message>
        <source>Reply with a segment</source>
        <translation>セグメントで応答</translation>
    </message>
    <message>
        <source>Inject RST or FIN</source>
        <translation>RST か FIN を注入</translation>
    </message>
    <message>
        <source>Add action</source>
        <translation>アクションを追加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上へ</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下へ</translation>
    </message>
    <message>
        <source>an expression: seg.seq + 1, tcb.snd_nxt, rand(1, 9)</source>
        <translation>式: seg.seq + 1、tcb.snd_nxt、rand(1, 9)</translation>
    </message>
    <message>
        <source>The packet goes no further.</source>
        <translation>パケットはここで止まる。</translation>
    </message>
    <message>
        <source>The packet leaves later; later packets may overtake it.</source>
        <translation>パケットを遅らせて送る。後続のパケットが追い越すことがある。</translation>
    </message>
    <message>
        <source>By</source>
        <translation>遅延時間</translation>
    </message>
    <message>
        <source>e.g. 200ms, 1.5s</source>
        <translation>例: 200ms、1.5s</translation>
    </message>
    <message>
        <source>Extra copies go out right after the packet.</source>
        <translation>パケットの直後に複製を送る。</translation>
    </message>
    <message>
        <source>Copies</source>
        <translation>複製数</translation>
    </message>
    <message>
        <source>Reorder: the packet waits until the next packets through the same hook have passed.</source>
        <translation>順序入れ替え: 同じフックを通る次のパケットが過ぎるまで、このパケットを待たせる。</translation>
    </message>
    <message>
        <source>Let pass first</source>
        <translation>先に通す数</translation>
    </message>
    <message>
        <source>Release after</source>
        <translation>最長保留時間</translation>
    </message>
    <message>
        <source>e.g. 1s</source>
        <translation>例: 1s</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>フィールド</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>値</translation>
    </message>
    <message>
        <source>Checked: set; empty: clear; partly checked: leave as it is.</source>
        <translation>チェック: セット、空: クリア、部分チェック: そのまま。</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>フラグ</translation>
    </message>
    <message>
        <source>all options</source>
        <translation>全オプション</translation>
    </message>
    <message>
        <source>Add or change</source>
        <translation>追加・変更</translation>
    </message>
    <message>
        <source>Do</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>replace</source>
        <translation>置き換え</translation>
    </message>
    <message>
        <source>truncate</source>
        <translation>切り詰め</translation>
    </message>
    <message>
        <source>append</source>
        <translation>追記</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>データ</translation>
    </message>
    <message>
        <source>hex bytes</source>
        <translation>16 進バイト列</translation>
    </message>
    <message>
        <source>Keep bytes</source>
        <translation>残すバイト数</translation>
    </message>
    <message>
        <source>The TCP checksum is made wrong on purpose; the receiver should discard the segment.</source>
        <translation>TCP チェックサムをわざと壊す。受信側はそのセグメントを破棄するはず。</translation>
    </message>
    <message>
        <source>The packet is answered with this segment (addresses and ports reversed) and goes no further.</source>
        <translation>このセグメント(アドレスとポートは逆向き)で応答し、元のパケットはここで止まる。</translation>
    </message>
    <message>
        <source>e.g. ACK, SYN|ACK, none</source>
        <translation>例: ACK、SYN|ACK、none</translation>
    </message>
    <message>
        <source>Sequence number</source>
        <translation>シーケンス番号</translation>
    </message>
    <message>
        <source>Acknowledgment number</source>
        <translation>確認応答番号</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>ウィンドウ</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>オプション</translation>
    </message>
    <message>
        <source>Payload</source>
        <translation>ペイロード</translation>
    </message>
    <message>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>An extra segment is sent; the packet itself goes on.</source>
        <translation>追加のセグメントを送る。元のパケットはそのまま進む。</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>送るもの</translation>
    </message>
    <message>
        <source>Toward</source>
        <translation>宛先</translation>
    </message>
    <message>
        <source>the sender</source>
        <translation>送信元</translation>
    </message>
    <message>
        <source>the receiver</source>
        <translation>受信側</translation>
    </message>
    <message>
        <source>default: acceptable to its target</source>
        <translation>既定: 相手が受け入れる値</translation>
    </message>
    <message>
        <source>delay: a delay cannot be negative (&quot;%1&quot;)</source>
        <translation>delay: 遅延は負にできません(「%1」)</translation>
    </message>
    <message>
        <source>delay: &quot;%1&quot; is not a duration (like 200ms, 1.5s, 10us)</source>
        <translation>delay: 「%1」は時間ではありません(例: 200ms、1.5s、10us)</translation>
    </message>
    <message>
        <source>hold: &quot;%1&quot; is not a duration (like 200ms, 1.5s, 10us)</source>
        <translation>hold: 「%1」は時間ではありません(例: 200ms、1.5s、10us)</translation>
    </message>
    <message>
        <source>set: unknown field &apos;%1&apos; (known: %2)</source>
        <translation>set: 不明なフィールド「%1」(使えるもの: %2)</translation>
    </message>
    <message>
        <source>value</source>
        <translation>値</translation>
    </message>
    <message>
        <source>options: %1</source>
        <translation>options: %1</translation>
    </message>
    <message>
        <source>payload</source>
        <translation>ペイロード</translation>
    </message>
    <message>
        <source>reply flags: column %1: %2</source>
        <translation>応答のフラグ: %1 桁目: %2</translation>
    </message>
    <message>
        <source>sequence number</source>
        <translation>シーケンス番号</translation>
    </message>
    <message>
        <source>acknowledgment number</source>
        <translation>確認応答番号</translation>
    </message>
    <message>
        <source>window</source>
        <translation>ウィンドウ</translation>
    </message>
    <message>
        <source>reply options: %1</source>
        <translation>応答のオプション: %1</translation>
    </message>
    <message>
        <source>reply payload</source>
        <translation>応答のペイロード</translation>
    </message>
    <message>
        <source>Not applied: %1</source>
        <translation>適用されていません: %1</translation>
    </message>
    <message>
        <source>a rule needs at least one action (add another first, or delete the rule)</source>
        <translation>ルールには少なくとも 1 つのアクションが必要です(先に別のアクションを追加するか、ルールを削除してください)</translation>
    </message>
</context>
<context>
    <name>tcplab::gui::ExplanationPanel</name>
    <message>
        <source>Not a TCP segment.</source>
        <translation>TCP セグメントではありません。</translation>
    </message>
    <message>
        <source>RST: the sender aborts the connection (or refuses a segment that belongs to no connection it knows).</source>
        <translation>RST: 送信側が接続を中断します（または、知らない接続宛てのセグメントを拒否します）。</translation>
    </message>
    <message>
        <source>SYN: the client opens a connection and offers its initial sequence number (ISN).</source>
        <translation>SYN: クライアントが接続を開始し、自分の初期シーケンス番号 (ISN) を提示します。</translation>
    </message>
    <message>
        <source>SYN-ACK: the server acknowledges the client&apos;s ISN + 1 and offers its own ISN.</source>
        <translation>SYN-ACK: サーバーがクライアントの ISN + 1 を確認応答し、自分の ISN を提示します。</translation>
    </message>
    <message>
        <source>FIN: the sender has no more data to send and starts closing its direction.</source>
        <translation>FIN: 送信側はもう送るデータがなく、自分の方向の通信を閉じ始めます。</translation>
    </message>
    <message>
        <source>Bare ACK: no data; it acknowledges everything before sequence number %1.</source>
        <translation>素の ACK: データはなく、シーケンス番号 %1 より前をすべて確認応答します。</translation>
    </message>
    <message>
        <source>Data: %1 bytes.</source>
        <translation>データ: %1 バイト。</translation>
    </message>
    <message>
        <source>A rule acted on this packet: %1</source>
        <translation>ルールがこのパケットに作用しました: %1</translation>
    </message>
    <message>
        <source>State change: %1</source>
        <translation>状態遷移: %1</translation>
    </message>
    <message>
        <source>Analysis: %1</source>
        <translation>解析: %1</translation>
    </message>
    <message>
        <source>Dropped by a rule: it never reached its destination.</source>
        <translation>ルールにより破棄されました: 宛先には届いていません。</translation>
    </message>
    <message>
        <source>Answered by a rule instead of the TCP stack.</source>
        <translation>TCP スタックの代わりにルールが応答しました。</translation>
    </message>
    <message>
        <source>Lost on the wire.</source>
        <translation>回線上で失われました。</translation>
    </message>
    <message>
        <source>Select a packet in the diagram to have it explained.</source>
        <translation>図の中のパケットを選ぶと説明が表示されます。</translation>
    </message>
    <message>
        <source>Lesson, step %1 of %2</source>
        <translation>レッスン: ステップ %1 / %2</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ミリ秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>RTO = %1</source>
        <translation>RTO = %1</translation>
    </message>
    <message>
        <source>the RTO</source>
        <translation>RTO</translation>
    </message>
    <message>
        <source>Retransmission by timeout: no ACK arrived within %1, so the sender sent its oldest unacknowledged segment again and doubled the RTO (RFC 6298 section 5). Too few duplicate ACKs came for a fast retransmit: little or nothing sent after the lost segment reached the receiver.</source>
        <translation>タイムアウトによる再送: %1 以内に ACK が届かなかったので、送信側は未確認応答の最も古いセグメントを再送し、RTO を倍にした(RFC 6298 5 節)。失われたセグメントの後に送ったものがほとんど(あるいはまったく)受信側に届かず、高速再送に足りる重複 ACK が来なかった。</translation>
    </message>
    <message>
        <source>Fast retransmission: duplicate ACKs reported this segment missing, so it was sent again without waiting for the retransmission timer (RFC 5681 section 3.2).</source>
        <translation>高速再送: 重複 ACK がこのセグメントの欠落を知らせたので、再送タイマを待たずに再送した(RFC 5681 3.2 節)。</translation>
    </message>
    <message>
        <source>Retransmission (%1).</source>
        <translation>再送(%1)。</translation>
    </message>
    <message>
        <source>Timer: %1</source>
        <translation>タイマ: %1</translation>
    </message>
</context>
<context>
    <name>tcplab::gui::FieldTreeModel</name>
    <message>
        <source>Field</source>
        <translation>フィールド</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
</context>
<context>
    <name>tcplab::gui::HelperClient</name>
    <message>
        <source>The network helper %1 is not installed.</source>
        <translation>ネットワークヘルパー %1 がインストールされていません。</translation>
    </message>
    <message>
        <source>pkexec is not installed (Debian package &quot;pkexec&quot;), so TCP Lab cannot ask for administrator rights.</source>
        <translation>pkexec がインストールされていない (Debian パッケージ「pkexec」) ため、TCP Lab は管理者権限を要求できません。</translation>
    </message>
    <message>
        <source>The polkit policy %1 is not installed, so pkexec cannot authorize the helper.</source>
        <translation>polkit ポリシー %1 がインストールされていないため、pkexec はヘルパーを認可できません。</translation>
    </message>
    <message>
        <source>The system D-Bus is not running, so polkit cannot authorize the helper.</source>
        <translation>システム D-Bus が動いていないため、polkit はヘルパーを認可できません。</translation>
    </message>
    <message>
        <source>The helper crashed.</source>
        <translation>ヘルパーが異常終了しました。</translation>
    </message>
    <message>
        <source>The helper failed (exit code %1).</source>
        <translation>ヘルパーが失敗しました (終了コード %1)。</translation>
    </message>
    <message>
        <source>The authentication dialog was dismissed; nothing was changed.</source>
        <translation>認証ダイアログが閉じられました。何も変更していません。</translation>
    </message>
    <message>
        <source>Not authorized: pkexec could not obtain administrator rights (is polkit running and an authentication agent available?). %1</source>
        <translation>認可されませんでした: pkexec が管理者権限を得られませんでした (polkit は動いていますか? 認証エージェントはありますか?)。%1</translation>
    </message>
    <message>
        <source>The helper gave no answer (exit code %1).</source>
        <translation>ヘルパーから応答がありませんでした (終了コード %1)。</translation>
    </message>
    <message>
        <source>Cannot start %1: %2</source>
        <translation>%1 を起動できません: %2</translation>
    </message>
</context>
<context>
    <name>tcplab::gui::LibraryBrowser</name>
    <message>
        <source>Load into demo network</source>
        <translation>デモネットワークに読み込む</translation>
    </message>
    <message>
        <source>Load into tap lab</source>
        <translation>タップラボに読み込む</translation>
    </message>
    <message>
        <source>Scenario library</source>
        <translation>シナリオライブラリ</translation>
    </message>
    <message>
        <source>en</source>
        <comment>language code of this translation: ja or en</comment>
        <translation>ja</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>ルール</translation>
    </message>
    <message>
        <source>No tap lab is running</source>
        <translation>タップラボが動いていません</translation>
    </message>
    <message>
        <source>(no rules: the stacks behave as the RFCs say)</source>
        <translation>(ルールなし: スタックは RFC どおりに動く)</translation>
    </message>
    <message>
        <source>The tap lab on %1 restarts with the scenario&apos;s rules and services for the host it plays; a scenario&apos;s timeline is not played on a tap (the kernel side is the peer).</source>
        <translation>%1 のタップラボを、シナリオのうちラボが受け持つホストのルールとサービスで再起動します。タップではカーネル側が相手なので、シナリオのタイムラインは再生されません。</translation>
    </message>
    <message>
        <source>The lab is on the demo network: attach to a tap first (Lab &gt; Lab mode &gt; Tap device…, or Attach in the Setup panel), then load from here</source>
        <translation>ラボはデモネットワークで動作中です。先にタップに接続してから(ラボ &gt; ラボのモード &gt; タップデバイス…、またはセットアップパネルの「接続」)、ここから読み込んでください</translation>
    </message>
</context>
<context>
    <name>tcplab::gui::LogModel</name>
    <message>
        <source>Time</source>
        <translation>時刻</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>レベル</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>送信元</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <source>session %1: %2</source>
        <translation>セッション %1: %2</translation>
    </message>
</context>
<context>
    <name>tcplab::gui::MainWindow</name>
    <message>
        <source>TCP Lab</source>
        <translation>TCP Lab</translation>
    </message>
    <message>
        <source>Filter sessions (address, port, state)</source>
        <translation>セッションを絞り込み (アドレス、ポート、状態)</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>セッション</translation>
    </message>
    <message>
        <source>Demo network</source>
        <translation>デモネットワーク</translation>
    </message>
    <message>
        <source>Packet inspector</source>
        <translation>パケットインスペクター</translation>
    </message>
    <message>
        <source>Plots</source>
        <translation>グラフ</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>ログ</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ミリ秒</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source> Mbit/s</source>
        <translation> Mbit/s</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>実行</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>シナリオ</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>遅延</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>損失率</translation>
    </message>
    <message>
        <source>Bandwidth</source>
        <translation>帯域</translation>
    </message>
    <message>
        <source>%1 · paused</source>
        <translation>%1 · 一時停止中</translation>
    </message>
    <message>
        <source>Lab stopped</source>
        <translation>ラボ停止中</translation>
    </message>
    <message>
        <source>sent %1 · received %2 · dropped %3 · sessions %4</source>
        <translation>送信 %1 · 受信 %2 · 破棄 %3 · セッション %4</translation>
    </message>
    <message>
        <source>lab time %1 s · speed %2×</source>
        <translation>ラボ時刻 %1 秒 · 速度 %2×</translation>
    </message>
    <message>
        <source>Open &amp;capture…</source>
        <translation>キャプチャを開く(&amp;C)…</translation>
    </message>
    <message>
        <source>Open &amp;scenario…</source>
        <translation>シナリオを開く(&amp;S)…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>Export all sessions as pcapng…</source>
        <translation>全セッションを pcapng に書き出す…</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>Export selected session as pcapng…</source>
        <translation>選択したセッションを pcapng に書き出す…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <source>Export diagram as PNG…</source>
        <translation>シーケンス図を PNG に書き出す…</translation>
    </message>
    <message>
        <source>Export diagram as SVG…</source>
        <translation>シーケンス図を SVG に書き出す…</translation>
    </message>
    <message>
        <source>Open in &amp;Wireshark</source>
        <translation>Wireshark で開く(&amp;W)</translation>
    </message>
    <message>
        <source>Ctrl+W</source>
        <translation>Ctrl+W</translation>
    </message>
    <message>
        <source>Wireshark is not installed</source>
        <translation>Wireshark がインストールされていません</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Demo network</source>
        <translation>デモネットワーク(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>開始(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>一時停止(&amp;P)</translation>
    </message>
    <message>
        <source>Ctrl+Space</source>
        <translation>Ctrl+Space</translation>
    </message>
    <message>
        <source>S&amp;tep</source>
        <translation>ステップ(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Restart</source>
        <translation>やり直し(&amp;R)</translation>
    </message>
    <message>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>拡大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>縮小(&amp;O)</translation>
    </message>
    <message>
        <source>Relative &amp;time</source>
        <translation>相対時刻(&amp;T)</translation>
    </message>
    <message>
        <source>Ctrl+T</source>
        <translation>Ctrl+T</translation>
    </message>
    <message>
        <source>Relative se&amp;quence numbers</source>
        <translation>相対シーケンス番号(&amp;Q)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+Q</source>
        <translation>Ctrl+Shift+Q</translation>
    </message>
    <message>
        <source>&amp;Follow live traffic</source>
        <translation>最新の通信を追う(&amp;F)</translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <source>Next &amp;retransmission</source>
        <translation>次の再送(&amp;R)</translation>
    </message>
    <message>
        <source>No further retransmission</source>
        <translation>この先に再送はありません</translation>
    </message>
    <message>
        <source>Next R&amp;ST</source>
        <translation>次の RST(&amp;S)</translation>
    </message>
    <message>
        <source>No further RST</source>
        <translation>この先に RST はありません</translation>
    </message>
    <message>
        <source>Next rule &amp;hit</source>
        <translation>次のルール適用(&amp;H)</translation>
    </message>
    <message>
        <source>No further rule hit</source>
        <translation>この先にルール適用はありません</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>システムの言語</translation>
    </message>
    <message>
        <source>Reset &amp;layout</source>
        <translation>レイアウトを初期化(&amp;L)</translation>
    </message>
    <message>
        <source>The default layout returns at the next start</source>
        <translation>次回の起動時に既定のレイアウトに戻ります</translation>
    </message>
    <message>
        <source>&amp;About TCP Lab</source>
        <translation>TCP Lab について(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Lab</source>
        <translation>ラボ(&amp;L)</translation>
    </message>
    <message>
        <source>Lab &amp;mode</source>
        <translation>ラボのモード(&amp;M)</translation>
    </message>
    <message>
        <source>S&amp;peed</source>
        <translation>速度(&amp;P)</translation>
    </message>
    <message>
        <source>%1×</source>
        <translation>%1×</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Panels</source>
        <translation>パネル(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>言語(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>Lab</source>
        <translation>ラボ</translation>
    </message>
    <message>
        <source>Tap device</source>
        <translation>tap デバイス</translation>
    </message>
    <message>
        <source>Speed of the demo network (virtual time)</source>
        <translation>デモネットワークの速度 (仮想時間)</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <source>Open capture</source>
        <translation>キャプチャを開く</translation>
    </message>
    <message>
        <source>Captures (*.pcapng *.pcap)</source>
        <translation>キャプチャ (*.pcapng *.pcap)</translation>
    </message>
    <message>
        <source>Open scenario</source>
        <translation>シナリオを開く</translation>
    </message>
    <message>
        <source>Scenarios (*.toml);;All files (*)</source>
        <translation>シナリオ (*.toml);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Export diagram as SVG</source>
        <translation>シーケンス図を SVG に書き出す</translation>
    </message>
    <message>
        <source>Export diagram as PNG</source>
        <translation>シーケンス図を PNG に書き出す</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>SVG 画像 (*.svg)</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 画像 (*.png)</translation>
    </message>
    <message>
        <source>TCP Lab sequence diagram</source>
        <translation>TCP Lab シーケンス図</translation>
    </message>
    <message>
        <source>Diagram written to %1</source>
        <translation>シーケンス図を %1 に書き出しました</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>%1 に書き込めません</translation>
    </message>
    <message>
        <source>The language changes at the next start</source>
        <translation>言語は次回の起動時に切り替わります</translation>
    </message>
    <message>
        <source>About TCP Lab</source>
        <translation>TCP Lab について</translation>
    </message>
    <message>
        <source>&lt;h3&gt;TCP Lab %1&lt;/h3&gt;&lt;p&gt;A desktop lab for bending TCP: watch every segment, change any of them with rules, and see what the other end does.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;TCP Lab %1&lt;/h3&gt;&lt;p&gt;TCP を自在に曲げて試すデスクトップ実験室: すべてのセグメントを観察し、ルールでどれでも書き換えて、相手がどう振る舞うかを確かめられます。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Tap setup</source>
        <translation>tap のセットアップ</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 を開きました</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>%1 を開けません: %2</translation>
    </message>
    <message>
        <source>Select a session first</source>
        <translation>先にセッションを選択してください</translation>
    </message>
    <message>
        <source>Cannot export: %1</source>
        <translation>書き出せません: %1</translation>
    </message>
    <message>
        <source>%1 packets written to %2</source>
        <translation>%1 パケットを %2 に書き出しました</translation>
    </message>
    <message>
        <source>Export pcapng</source>
        <translation>pcapng に書き出す</translation>
    </message>
    <message>
        <source>pcapng captures (*.pcapng)</source>
        <translation>pcapng キャプチャ (*.pcapng)</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>ルール</translation>
    </message>
    <message>
        <source>Explanation</source>
        <translation>解説</translation>
    </message>
    <message>
        <source>&amp;Tap device…</source>
        <translation>タップデバイス(&amp;T)…</translation>
    </message>
    <message>
        <source>State machine</source>
        <translation>状態遷移図</translation>
    </message>
    <message>
        <source>Step &amp;back</source>
        <translation>1 ステップ戻る(&amp;B)</translation>
    </message>
    <message>
        <source>Show the previous recorded moment (Shift+F10)</source>
        <translation>記録済みの 1 つ前の時点を表示 (Shift+F10)</translation>
    </message>
    <message>
        <source>Step by state &amp;change</source>
        <translation>状態遷移ごとにステップ(&amp;C)</translation>
    </message>
    <message>
        <source>Step and Back move to the next or previous state change instead of the next packet event</source>
        <translation>ステップと戻るで、パケットイベントごとではなく次(前)の状態遷移へ移動する</translation>
    </message>
    <message>
        <source>&amp;Presentation mode</source>
        <translation>プレゼンテーションモード(&amp;P)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+P</source>
        <translation>Ctrl+Shift+P</translation>
    </message>
    <message>
        <source>Nothing further happens in this lab</source>
        <translation>このラボではこれ以上何も起きません</translation>
    </message>
    <message>
        <source>This is the first recorded moment</source>
        <translation>記録の最初の時点です</translation>
    </message>
    <message>
        <source>Client %1</source>
        <translation>クライアント %1</translation>
    </message>
    <message>
        <source>Server %1</source>
        <translation>サーバ %1</translation>
    </message>
    <message>
        <source>en</source>
        <comment>the UI language code</comment>
        <translation>ja</translation>
    </message>
    <message>
        <source>this window was started without the engine&apos;s tap lab</source>
        <translation>このウィンドウはエンジンのタップラボなしで起動されています</translation>
    </message>
    <message>
        <source>Attached to tap %1</source>
        <translation>タップ %1 に接続しました</translation>
    </message>
    <message>
        <source>Cannot attach to tap %1</source>
        <translation>タップ %1 に接続できません</translation>
    </message>
    <message>
        <source>Cannot attach to the tap device</source>
        <translation>タップデバイスに接続できません</translation>
    </message>
    <message>
        <source>The lab could not attach to tap &quot;%1&quot;.</source>
        <translation>ラボをタップ「%1」に接続できませんでした。</translation>
    </message>
    <message>
        <source>Open the Setup panel</source>
        <translation>セットアップパネルを開く</translation>
    </message>
    <message>
        <source>Only on the demo network: a tap lab runs in real time with the kernel</source>
        <translation>デモネットワーク専用です。タップ上のラボはカーネルと実時間で動作します</translation>
    </message>
    <message>
        <source>Pause the demo network</source>
        <translation>デモネットワークを一時停止</translation>
    </message>
    <message>
        <source>Advance the demo network to its next event</source>
        <translation>デモネットワークを次のイベントまで進める</translation>
    </message>
    <message>
        <source>The demo network is not used while the lab is on a tap</source>
        <translation>ラボがタップに接続している間、デモネットワークは使われません</translation>
    </message>
    <message>
        <source>%1[*] — TCP Lab</source>
        <translation>%1[*] — TCP Lab</translation>
    </message>
    <message>
        <source>Rules — %1%2</source>
        <translation>ルール — %1%2</translation>
    </message>
    <message>
        <source>&amp;Save scenario</source>
        <translation>シナリオを保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save scenario &amp;as…</source>
        <translation>シナリオに名前を付けて保存(&amp;A)…</translation>
    </message>
    <message>
        <source>Scenario &amp;library…</source>
        <translation>シナリオライブラリ(&amp;L)…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+L</source>
        <translation>Ctrl+Shift+L</translation>
    </message>
    <message>
        <source>Loaded %1</source>
        <translation>%1 を読み込みました</translation>
    </message>
    <message>
        <source>Cannot attach to tap %1: %2</source>
        <translation>タップ %1 に接続できません: %2</translation>
    </message>
    <message>
        <source>Loaded %1 into the tap lab on %2: its rules and services; its timeline is not played on a tap (the kernel side is the peer)</source>
        <translation>%1 を %2 のタップラボに読み込みました(ルールとサービスのみ。タップではカーネル側が相手なので、タイムラインは再生されません)</translation>
    </message>
    <message>
        <source>Leave presentation mode</source>
        <translation>プレゼンテーションモードを終了</translation>
    </message>
    <message>
        <source>Presentation mode: F11, Ctrl+Shift+P or Esc returns to the normal layout</source>
        <translation>プレゼンテーションモード: F11、Ctrl+Shift+P または Esc で通常のレイアウトに戻ります</translation>
    </message>
    <message>
        <source>Attaching to tap %1 cancelled</source>
        <translation>タップ %1 への接続を取り消しました</translation>
    </message>
    <message>
        <source>Reserving %1 MiB of memory for the capture on tap %2…</source>
        <translation>タップ %2 のキャプチャ用に %1 MiB のメモリを確保しています…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Capture memory</source>
        <translation>キャプチャのメモリ</translation>
    </message>
    <message>
        <source>Capture memory: only %1 of %2 MiB reserved (%3); the rest comes as frames come</source>
        <translation>キャプチャのメモリ: %2 MiB のうち %1 MiB しか確保できませんでした（%3）。残りはフレームが来るたびに確保します</translation>
    </message>
    <message>
        <source>Memory the lab&apos;s capture holds, of its bound (for a tap: Capture memory in Lab &gt; Lab mode &gt; Tap device…). Past the bound, frames go to a temporary file, with a warning in the log.</source>
        <translation>ラボのキャプチャが使っているメモリと、その上限（タップでは ラボ &gt; ラボのモード &gt; タップデバイス… の「キャプチャのメモリ」）。上限を超えたフレームは一時ファイルに保存し、ログに警告を出します。</translation>
    </message>
    <message>
        <source>capture %1 MiB + %2 MiB in %3</source>
        <translation>キャプチャ %1 MiB + %3 に %2 MiB</translation>
    </message>
    <message>
        <source>capture %1 of %2 MiB</source>
        <translation>キャプチャ %1 / %2 MiB</translation>
    </message>
    <message>
        <source>Attached to tap %1. Its capture spills to %2, which is in memory (%3): past the capture memory, frames still take RAM</source>
        <translation>tap %1 に接続しました。キャプチャの書き出し先 %2 はメモリ上 (%3) にあるため、キャプチャのメモリを超えたフレームも RAM を使います</translation>
    </message>
</context>
<context>
    <name>tcplab::gui::OptionValuesForm</name>
    <message>
        <source>MSS</source>
        <translation>MSS</translation>
    </message>
    <message>
        <source>not set (e.g. 1460)</source>
        <translation>指定なし(例: 1460)</translation>
    </message>
    <message>
        <source>Window scale</source>
        <translation>ウィンドウスケール</translation>
    </message>
    <message>
        <source>not set (e.g. 7)</source>
        <translation>指定なし(例: 7)</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>指定なし</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>あり</translation>
    </message>
    <message>
        <source>no</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>SACK permitted</source>
        <translation>SACK 許可</translation>
    </message>
    <message>
        <source>Timestamps</source>
        <translation>タイムスタンプ</translation>
    </message>
    <message>
        <source>not set (TSval TSecr)</source>
        <translation>指定なし(TSval TSecr)</translation>
    </message>
    <message>
        <source>SACK blocks</source>
        <translation>SACK ブロック</translation>
    </message>
    <message>
        <source>none (left-right, up to 4)</source>
        <translation>なし(左端-右端、4 個まで)</translation>
    </message>
    <message>
        <source>MSS must be a number from 0 to 65535</source>
        <translation>MSS は 0〜65535 の数値で指定してください</translation>
    </message>
    <message>
        <source>window scale must be a number from 0 to 255</source>
        <translation>ウィンドウスケールは 0〜255 の数値で指定してください</translation>
    </message>
    <message>
        <source>timestamps must be two numbers: TSval TSecr</source>
        <translation>タイムスタンプは 2 つの数値(TSval TSecr)で指定してください</translation>
    </message>
    <message>
        <source>SACK blocks must be up to 4 ranges left-right (&quot;%1&quot;)</source>
        <translation>SACK ブロックは 左端-右端 の範囲を 4 個までで指定してください(「%1」)</translation>
    </message>
</context>
<context>
    <name>tcplab::gui::PacketInspector</name>
    <message>
        <source>No packet selected</source>
        <translation>パケットが選択されていません</translation>
    </message>
    <message>
        <source>Packet %1 · %2 bytes · %3 on host %4 · %5</source>
        <translation>パケット %1 · %2 バイト · ホスト %4 で%3 · %5</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>送信</translation>
    </message>
    <message>
        <source>received</source>
        <translation>受信</translation>
    </message>
</context>
<context>
    <name>tcplab::gui::RuleEditor</name>
    <message>
        <source>Add</source>
        <translation>追加</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>複製</translation>
    </message>
    <message>
        <source>Duplicate rule</source>
        <translation>ルールを複製</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Delete rule</source>
        <translation>ルールを削除</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上へ</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下へ</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>やり直す</translation>
    </message>
    <message>
        <source>Enable rule</source>
        <translation>ルールを有効化</translation>
    </message>
    <message>
        <source>Disable rule</source>
        <translation>ルールを無効化</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>ingress (arriving)</source>
        <translation>ingress（受信側）</translation>
    </message>
    <message>
        <source>egress (leaving)</source>
        <translation>egress（送信側）</translation>
    </message>
    <message>
        <source>Hook</source>
        <translation>フック</translation>
    </message>
    <message>
        <source>Checked: must be set; empty: must be clear; partly checked: don&apos;t care</source>
        <translation>チェック: 立っていること／空: 立っていないこと／中間: 問わない</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>フラグ</translation>
    </message>
    <message>
        <source>Nothing selected: any state</source>
        <translation>何も選ばなければどの状態でも</translation>
    </message>
    <message>
        <source>States</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>any (e.g. 8000 or 1-1023)</source>
        <translation>任意（例: 8000 または 1-1023）</translation>
    </message>
    <message>
        <source>Local port</source>
        <translation>ローカルポート</translation>
    </message>
    <message>
        <source>Remote port</source>
        <translation>リモートポート</translation>
    </message>
    <message>
        <source>Payload length</source>
        <translation>ペイロード長</translation>
    </message>
    <message>
        <source>every packet</source>
        <translation>すべてのパケット</translation>
    </message>
    <message>
        <source>only the n-th</source>
        <translation>n 番目だけ</translation>
    </message>
    <message>
        <source>the first n</source>
        <translation>最初の n 個</translation>
    </message>
    <message>
        <source>every k-th</source>
        <translation>k 個ごと</translation>
    </message>
    <message>
        <source>Occurrence</source>
        <translation>対象</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>確率</translation>
    </message>
    <message>
        <source>Scenario text</source>
        <translation>シナリオテキスト</translation>
    </message>
    <message>
        <source>Apply text</source>
        <translation>テキストを適用</translation>
    </message>
    <message>
        <source>Not applied: %1</source>
        <translation>適用されていません: %1</translation>
    </message>
    <message>
        <source>Add rule</source>
        <translation>ルールを追加</translation>
    </message>
    <message>
        <source>Move rule</source>
        <translation>ルールを移動</translation>
    </message>
    <message>
        <source>Not applied: a rule needs a name</source>
        <translation>適用されていません: ルールには名前が必要です</translation>
    </message>
    <message>
        <source>Not applied: a port or length is not a number or a range lo-hi</source>
        <translation>適用されていません: ポートまたは長さが数値でも lo-hi の範囲でもありません</translation>
    </message>
    <message>
        <source>Edit rule</source>
        <translation>ルールを編集</translation>
    </message>
    <message>
        <source>Edit rule text</source>
        <translation>ルールの表記を編集</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>開く…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>名前を付けて保存…</translation>
    </message>
    <message>
        <source>Library…</source>
        <translation>ライブラリ…</translation>
    </message>
    <message>
        <source>Match</source>
        <translation>マッチ条件</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>アクション</translation>
    </message>
    <message>
        <source>The rule in the scenario file&apos;s syntax: edit it and apply, or use the form</source>
        <translation>シナリオファイルの書式で書いたルール: ここで編集して適用するか、フォームを使う</translation>
    </message>
    <message>
        <source>Not opened: the unsaved changes were kept</source>
        <translation>開きませんでした: 未保存の変更はそのままです</translation>
    </message>
    <message>
        <source>Cannot open scenario: %1</source>
        <translation>シナリオを開けません: %1</translation>
    </message>
    <message>
        <source>%1 (library)</source>
        <translation>%1(ライブラリ)</translation>
    </message>
    <message>
        <source>Cannot save &quot;%1&quot;: %2</source>
        <translation>「%1」を保存できません: %2</translation>
    </message>
    <message>
        <source>Save scenario</source>
        <translation>シナリオを保存</translation>
    </message>
    <message>
        <source>Scenarios (*.toml)</source>
        <translation>シナリオ (*.toml)</translation>
    </message>
    <message>
        <source>Open scenario</source>
        <translation>シナリオを開く</translation>
    </message>
    <message>
        <source>Scenarios (*.toml);;All files (*)</source>
        <translation>シナリオ (*.toml);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Unsaved rules</source>
        <translation>未保存のルール</translation>
    </message>
    <message>
        <source>The rules of %1 have changed. Save them first?</source>
        <translation>%1 のルールが変更されています。先に保存しますか?</translation>
    </message>
    <message>
        <source>any (text, or 0x and hex bytes)</source>
        <translation>任意(テキスト、または 0x に続けて 16 進バイト)</translation>
    </message>
    <message>
        <source>Matches a segment whose payload contains these bytes: text as typed, or 0x followed by pairs of hex digits (0x474554)</source>
        <translation>ペイロードにこのバイト列を含むセグメントに一致します。入力したテキスト、または 0x に続けて 2 桁ずつの 16 進数(0x474554)</translation>
    </message>
    <message>
        <source>Payload contains</source>
        <translation>ペイロードに含む</translation>
    </message>
    <message>
        <source>Not applied: the payload match &quot;%1&quot; starts with 0x but is not pairs of hex digits</source>
        <translation>適用していません: ペイロード条件「%1」は 0x で始まっていますが、2 桁ずつの 16 進数になっていません</translation>
    </message>
</context>
<context>
    <name>tcplab::gui::RuleListModel</name>
    <message>
        <source>On</source>
        <translation>有効</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>ホスト</translation>
    </message>
    <message>
        <source>Hook</source>
        <translation>フック</translation>
    </message>
    <message>
        <source>Match → actions</source>
        <translation>条件 → アクション</translation>
    </message>
    <message>
        <source>Hits</source>
        <translation>ヒット数</translation>
    </message>
</context>
<context>
    <name>tcplab::gui::SequenceView</name>
    <message>
        <source>No session selected.
Start the lab (F5) or open a capture.</source>
        <translation>セッションが選択されていません。
ラボを開始する (F5) か、キャプチャを開いてください。</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>クライアント</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>サーバー</translation>
    </message>
    <message>
        <source>Time (s)</source>
        <translation>時刻 (秒)</translation>
    </message>
    <message>
        <source>Lab time (s)</source>
        <translation>ラボ時刻 (秒)</translation>
    </message>
    <message>
        <source>crafted</source>
        <translation>ルールが生成</translation>
    </message>
    <message>
        <source>duplicate</source>
        <translation>重複</translation>
    </message>
    <message>
        <source>lost</source>
        <translation>消失</translation>
    </message>
    <message>
        <source>%1 (inferred)</source>
        <translation>%1 (推定)</translation>
    </message>
    <message>
        <source>Make a rule from this packet</source>
        <translation>このパケットからルールを作る</translation>
    </message>
    <message>
        <source>Reply with a bare ACK instead</source>
        <translation>代わりに素の ACK で応答する</translation>
    </message>
</context>
<context>
    <name>tcplab::gui::SessionListModel</name>
    <message>
        <source>Inferred from the segments this end sent</source>
        <translation>この端点が送ったセグメントからの推定です</translation>
    </message>
    <message>
        <source>%1 (inferred)</source>
        <translation>%1 (推定)</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>クライアント</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>サーバー</translation>
    </message>
    <message>
        <source>Client state</source>
        <translation>クライアントの状態</translation>
    </message>
    <message>
        <source>Server state</source>
        <translation>サーバーの状態</translation>
    </message>
    <message>
        <source>Packets</source>
        <translation>パケット数</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>バイト数</translation>
    </message>
    <message>
        <source>Rule hits</source>
        <translation>ルール適用数</translation>
    </message>
</context>
<context>
    <name>tcplab::gui::SetupPanel</name>
    <message>
        <source>Tap only</source>
        <translation>tap のみ</translation>
    </message>
    <message>
        <source>Tap + bridge (tap7 in br3)</source>
        <translation>tap + ブリッジ (br3 に tap7)</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>カスタム</translation>
    </message>
    <message>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>default</source>
        <translation>既定</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>プリセット:</translation>
    </message>
    <message>
        <source>Tap:</source>
        <translation>tap:</translation>
    </message>
    <message>
        <source>Bridge:</source>
        <translation>ブリッジ:</translation>
    </message>
    <message>
        <source>Host addresses:</source>
        <translation>ホストのアドレス:</translation>
    </message>
    <message>
        <source>Routes:</source>
        <translation>経路:</translation>
    </message>
    <message>
        <source>Lab IPv4:</source>
        <translation>ラボの IPv4:</translation>
    </message>
    <message>
        <source>Lab IPv6:</source>
        <translation>ラボの IPv6:</translation>
    </message>
    <message>
        <source>Lab MAC:</source>
        <translation>ラボの MAC:</translation>
    </message>
    <message>
        <source>MTU:</source>
        <translation>MTU:</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>適用</translation>
    </message>
    <message>
        <source>Tear down</source>
        <translation>撤去</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Interface</source>
        <translation>インターフェース</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>種類</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Addresses</source>
        <translation>アドレス</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>詳細</translation>
    </message>
    <message>
        <source>Interfaces managed by TCP Lab:</source>
        <translation>TCP Lab が管理するインターフェース:</translation>
    </message>
    <message>
        <source>Equivalent commands, to run by hand in a terminal:</source>
        <translation>同じことをするコマンド (端末で手で実行する場合):</translation>
    </message>
    <message>
        <source># to undo:</source>
        <translation># 元に戻すには:</translation>
    </message>
    <message>
        <source>Run the commands below in a terminal instead.</source>
        <translation>代わりに下のコマンドを端末で実行してください。</translation>
    </message>
    <message>
        <source>Nothing to tear down: TCP Lab has not created any interface.</source>
        <translation>撤去するものはありません: TCP Lab はインターフェースを作成していません。</translation>
    </message>
    <message>
        <source>Tearing down…</source>
        <translation>撤去しています…</translation>
    </message>
    <message>
        <source>Applying… (you may be asked for an administrator password)</source>
        <translation>適用しています… (管理者パスワードを求められることがあります)</translation>
    </message>
    <message>
        <source>Torn down: everything TCP Lab created is gone.</source>
        <translation>撤去しました: TCP Lab が作成したものはすべて削除されました。</translation>
    </message>
    <message>
        <source>Ready: the lab can attach to %1 without privileges.</source>
        <translation>準備完了: ラボは特権なしで %1 に接続できます。</translation>
    </message>
    <message>
        <source>Step %1 of %2 failed: %3</source>
        <translation>手順 %1/%2 が失敗しました: %3</translation>
    </message>
    <message>
        <source>What was created stays until you tear it down.</source>
        <translation>作成済みのものは撤去するまで残ります。</translation>
    </message>
    <message>
        <source>(unknown)</source>
        <translation>(不明)</translation>
    </message>
    <message>
        <source>MTU %1</source>
        <translation>MTU %1</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>%1 内</translation>
    </message>
    <message>
        <source>owner uid %1</source>
        <translation>所有者 uid %1</translation>
    </message>
    <message>
        <source>route %1</source>
        <translation>経路 %1</translation>
    </message>
    <message>
        <source>up (%1)</source>
        <translation>up (%1)</translation>
    </message>
    <message>
        <source>down</source>
        <translation>down</translation>
    </message>
</context>
<context>
    <name>tcplab::gui::StateMachineView</name>
    <message>
        <source>passive OPEN</source>
        <translation>パッシブ OPEN</translation>
    </message>
    <message>
        <source>create TCB</source>
        <translation>TCB 作成</translation>
    </message>
    <message>
        <source>CLOSE</source>
        <translation>CLOSE</translation>
    </message>
    <message>
        <source>delete TCB</source>
        <translation>TCB 削除</translation>
    </message>
    <message>
        <source>active OPEN</source>
        <translation>アクティブ OPEN</translation>
    </message>
    <message>
        <source>create TCB, snd SYN</source>
        <translation>TCB 作成、SYN 送信</translation>
    </message>
    <message>
        <source>rcv SYN</source>
        <translation>SYN 受信</translation>
    </message>
    <message>
        <source>snd SYN,ACK</source>
        <translation>SYN,ACK 送信</translation>
    </message>
    <message>
        <source>SEND</source>
        <translation>SEND</translation>
    </message>
    <message>
        <source>snd SYN</source>
        <translation>SYN 送信</translation>
    </message>
    <message>
        <source>rcv RST (note 1)</source>
        <translation>RST 受信(注 1)</translation>
    </message>
    <message>
        <source>rcv ACK of SYN</source>
        <translation>SYN への ACK 受信</translation>
    </message>
    <message>
        <source>rcv SYN,ACK</source>
        <translation>SYN,ACK 受信</translation>
    </message>
    <message>
        <source>snd ACK</source>
        <translation>ACK 送信</translation>
    </message>
    <message>
        <source>snd FIN</source>
        <translation>FIN 送信</translation>
    </message>
    <message>
        <source>rcv FIN</source>
        <translation>FIN 受信</translation>
    </message>
    <message>
        <source>rcv ACK of FIN</source>
        <translation>FIN への ACK 受信</translation>
    </message>
    <message>
        <source>Timeout=2MSL</source>
        <translation>タイムアウト=2MSL</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>クライアント</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>サーバ</translation>
    </message>
</context>
<context>
    <name>tcplab::gui::TapSettingsDialog</name>
    <message>
        <source>Attach to a tap device</source>
        <translation>タップデバイスに接続</translation>
    </message>
    <message>
        <source>optional, e.g. 2001:db8::2/64</source>
        <translation>任意（例: 2001:db8::2/64）</translation>
    </message>
    <message>
        <source>optional: derived from the IPv4 address</source>
        <translation>任意（省略時は IPv4 アドレスから生成）</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>任意</translation>
    </message>
    <message>
        <source>PORT:SERVICE pairs separated by commas: http, sink, discard, source, echo, chargen</source>
        <translation>ポート:サービス をカンマ区切りで指定: http, sink, discard, source, echo, chargen</translation>
    </message>
    <message>
        <source>The rules and services of this scenario&apos;s server run on the tap (empty: none)</source>
        <translation>このシナリオのサーバーのルールとサービスをタップ上で動かします（空欄: なし）</translation>
    </message>
    <message>
        <source>Tap device</source>
        <translation>タップデバイス</translation>
    </message>
    <message>
        <source>Engine IPv4 address/prefix</source>
        <translation>エンジンの IPv4 アドレス/プレフィックス</translation>
    </message>
    <message>
        <source>Engine IPv6 address/prefix</source>
        <translation>エンジンの IPv6 アドレス/プレフィックス</translation>
    </message>
    <message>
        <source>Engine MAC address</source>
        <translation>エンジンの MAC アドレス</translation>
    </message>
    <message>
        <source>IPv4 gateway</source>
        <translation>IPv4 ゲートウェイ</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>サービス</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>シナリオ</translation>
    </message>
    <message>
        <source>Attach</source>
        <translation>接続</translation>
    </message>
    <message>
        <source>whole frames</source>
        <translation>フレーム全体</translation>
    </message>
    <message>
        <source>Keep at most this many bytes of each recorded frame (64 to 262144), like tcpdump -s: long bulk captures take less memory and slow the engine less. Sessions, lengths and analysis labels stay those of the whole frames.</source>
        <translation>記録する各フレームの先頭からこのバイト数だけを保存します（64〜262144、tcpdump -s と同様）。長い大量転送のキャプチャでメモリを節約し、エンジンの負荷を減らせます。セッション、長さ、解析ラベルはフレーム全体のものです。</translation>
    </message>
    <message>
        <source>Snap length (bytes)</source>
        <translation>スナップ長（バイト）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>Memory for the capture taken before the tap is attached, like 4G (at most the capture memory). A transfer of many gigabits per second then does not wait for the system to hand out fresh memory, which slows it most in virtual machines.</source>
        <translation>タップに接続する前に確保しておくキャプチャ用メモリ（例: 4G。キャプチャのメモリ以下）。毎秒数ギガビットの転送が、システムから新しいメモリが渡されるのを待たずに済みます。この待ちは仮想マシンで特に大きくなります。</translation>
    </message>
    <message>
        <source>Capture memory</source>
        <translation>キャプチャのメモリ</translation>
    </message>
    <message>
        <source>Reserve before attaching</source>
        <translation>接続前に確保する量</translation>
    </message>
    <message>
        <source>RAM the capture may take, like 512M or 8G (default 2G). Past it, frames go to a temporary file in the spill directory, with a warning.</source>
        <translation>キャプチャが使える RAM（512M、8G など。既定は 2G）。超えたフレームは警告とともに書き出し先ディレクトリの一時ファイルに保存されます。</translation>
    </message>
    <message>
        <source>Where frames past the capture memory go, in a temporary file deleted with the capture (default: $TMPDIR, else /tmp). Choose a directory on disk: on tmpfs they still take RAM.</source>
        <translation>キャプチャのメモリを超えたフレームを保存する一時ファイルの場所（キャプチャとともに削除されます。既定は $TMPDIR、なければ /tmp）。ディスク上のディレクトリを選んでください。tmpfs 上では RAM を使います。</translation>
    </message>
    <message>
        <source>Spill directory</source>
        <translation>書き出し先ディレクトリ</translation>
    </message>
    <message>
        <source>Spill to a file</source>
        <translation>ファイルに書き出す</translation>
    </message>
    <message>
        <source>Stop recording</source>
        <translation>記録を止める</translation>
    </message>
    <message>
        <source>What the capture does once it holds its memory: keep every frame in a temporary file in the spill directory, or stop recording (the frames after that are counted, not kept). A warning says when, either way.</source>
        <translation>キャプチャがメモリを使い切ったときの動作: すべてのフレームを書き出し先ディレクトリの一時ファイルに保存するか、記録を止めます（以後のフレームは数えるだけで保存しません）。どちらの場合もその時点で警告が出ます。</translation>
    </message>
    <message>
        <source>When the memory is full</source>
        <translation>メモリが一杯になったら</translation>
    </message>
</context>
<context>
    <name>tcplab::gui::TcpPlots</name>
    <message>
        <source>Time (s)</source>
        <translation>時刻 (秒)</translation>
    </message>
    <message>
        <source>Relative sequence number</source>
        <translation>相対シーケンス番号</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>バイト数</translation>
    </message>
    <message>
        <source>Milliseconds</source>
        <translation>ミリ秒</translation>
    </message>
    <message>
        <source>Time-sequence</source>
        <translation>時間-シーケンス</translation>
    </message>
    <message>
        <source>In flight / cwnd</source>
        <translation>送信中 / cwnd</translation>
    </message>
    <message>
        <source>RTT</source>
        <translation>RTT</translation>
    </message>
    <message>
        <source>Segments</source>
        <translation>セグメント</translation>
    </message>
    <message>
        <source>Retransmissions</source>
        <translation>再送</translation>
    </message>
    <message>
        <source>Lost or dropped</source>
        <translation>消失・破棄</translation>
    </message>
    <message>
        <source>ACK</source>
        <translation>ACK</translation>
    </message>
    <message>
        <source>Receive window</source>
        <translation>受信ウィンドウ</translation>
    </message>
    <message>
        <source>SACK blocks</source>
        <translation>SACK ブロック</translation>
    </message>
    <message>
        <source>Bytes in flight</source>
        <translation>送信中のバイト数</translation>
    </message>
    <message>
        <source>cwnd (engine)</source>
        <translation>cwnd (エンジン)</translation>
    </message>
    <message>
        <source>ssthresh (engine)</source>
        <translation>ssthresh (エンジン)</translation>
    </message>
    <message>
        <source>RTT samples</source>
        <translation>RTT 標本</translation>
    </message>
    <message>
        <source>SRTT</source>
        <translation>SRTT</translation>
    </message>
    <message>
        <source>RTO</source>
        <translation>RTO</translation>
    </message>
</context>
</TS>
